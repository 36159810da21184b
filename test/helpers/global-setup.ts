/**
 * vitest's global setup (vitest.config.ts): names this test run, so test/helpers/build.ts builds dist/ once for
 * all the test files that need it.
 */
export default function setup(): void {
  process.env.TOLLGATE_TEST_RUN ??= `${process.pid}-${Date.now()}`;
}
