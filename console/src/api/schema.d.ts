/**
 * Generated from the admin API's OpenAPI document (GET /api/v1/openapi.json) by scripts/gen-api-types.mjs with
 * openapi-typescript. Do not edit: run `npm run gen:api-types` after changing a route.
 */

export type paths = {
    "/api/v1/accounting/held": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Accounting records held for review, oldest first (keyset pages by id) */
        get: operations["listHeldAccounting"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounting/held/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One held accounting record */
        get: operations["getHeldAccounting"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounting/held/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a held record: it is journaled again, marked approved, and the rater applies it to its session */
        post: operations["approveHeldAccounting"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounting/held/{id}/discard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Discard a held record: it is closed without effect */
        post: operations["discardHeldAccounting"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List accounts */
        get: operations["listAccount"];
        put?: never;
        /** Create a account */
        post: operations["createAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one account */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        /** Delete a account */
        delete: operations["deleteAccount"];
        options?: never;
        head?: never;
        /** Change some fields of a account */
        patch: operations["updateAccount"];
        trace?: never;
    };
    "/api/v1/accounts/{id}/adjustments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's adjustments, newest first */
        get: operations["listAccountAdjustments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/charges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's charges, newest first */
        get: operations["listAccountCharges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's temporary credits (expired ones too), newest first */
        get: operations["listAccountCredits"];
        put?: never;
        /** Grant temporary credit (e.g. a promised payment) */
        post: operations["grantAccountCredit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's payments, newest first */
        get: operations["listAccountPayments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/statement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's statement by day with the running balance (JSON) */
        get: operations["getAccountStatement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}/statement/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's statement by day as a CSV or PDF file */
        get: operations["exportAccountStatement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/adjustments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Correct a balance by a signed amount */
        post: operations["createAdjustment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent authentication results, newest first */
        get: operations["listAuthLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in: sets the tg_session cookie and answers the CSRF token */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out: ends the console session (a no-op for tokens) */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I: the operator, the role in force and its permissions */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change one's own password (the other sessions end) */
        post: operations["changeOwnPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Begin enrolling a second factor: a new TOTP secret, active once confirmed with a code */
        post: operations["beginTotpEnrolment"];
        /** Remove one's second factor (needs the password) */
        delete: operations["removeTotp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm the second factor with a code of the new secret: from now on sign-in needs a code */
        post: operations["confirmTotpEnrolment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The dashboard figures: sessions online, decisions per minute, accounting and rating lag, blocked accounts, money today and this month, CoA outcomes */
        get: operations["getDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dashboard/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live figures as Server-Sent Events every 2 s (at most 3 streams per operator) */
        get: operations["streamDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List NAS clients */
        get: operations["listNas"];
        put?: never;
        /** Create a NAS client */
        post: operations["createNas"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nas-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every NAS client with its Message-Authenticator state and when it was last seen */
        get: operations["listNasStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nas/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one NAS client */
        get: operations["getNas"];
        put?: never;
        post?: never;
        /** Delete a NAS client */
        delete: operations["deleteNas"];
        options?: never;
        head?: never;
        /** Change some fields of a NAS client */
        patch: operations["updateNas"];
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI 3.1 document (no token needed) */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the operators */
        get: operations["listOperators"];
        put?: never;
        /** Create an operator */
        post: operations["createOperator"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one operator */
        get: operations["getOperator"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change display name, role or disabled (disabling ends its sessions) */
        patch: operations["updateOperator"];
        trace?: never;
    };
    "/api/v1/operators/{id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set an operator's password (its sessions end) */
        post: operations["resetOperatorPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a payment (idempotent on externalId) */
        post: operations["createPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find subscribers by login prefix, IP address, MAC address, subscriber id or account id */
        get: operations["search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sessions newest first, or look up who had an IP address at an instant (ip + at) */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one session */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}/disconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a Disconnect-Request (RFC 5176) to the session's NAS */
        post: operations["disconnectSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Export the sessions overlapping a time range (abuse and lawful-intercept requests) as CSV or JSON, streamed */
        get: operations["exportSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/subscribers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List subscribers */
        get: operations["listSubscriber"];
        put?: never;
        /** Create a subscriber */
        post: operations["createSubscriber"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/subscribers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one subscriber */
        get: operations["getSubscriber"];
        put?: never;
        post?: never;
        /** Delete a subscriber */
        delete: operations["deleteSubscriber"];
        options?: never;
        head?: never;
        /** Change some fields of a subscriber */
        patch: operations["updateSubscriber"];
        trace?: never;
    };
    "/api/v1/subscribers/{id}/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The support page in one call: subscriber, account and its state since when, last decisions, open sessions, last CoA */
        get: operations["getSubscriberOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/subscribers/{id}/reply-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reply attributes the subscriber would get now from a NAS (computed, nothing sent) */
        get: operations["previewSubscriberReply"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/subscribers/{id}/scheduled-tariff-change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Cancel the subscriber's tariff change scheduled for the next period */
        delete: operations["cancelScheduledTariffChange"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/subscribers/{id}/widget-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a signed token for the subscriber's billing widget (portal listener, /widget/v1/*) */
        post: operations["createSubscriberWidgetToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tariffs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tariffs */
        get: operations["listTariff"];
        put?: never;
        /** Create a tariff */
        post: operations["createTariff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tariffs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one tariff */
        get: operations["getTariff"];
        put?: never;
        post?: never;
        /** Delete a tariff */
        delete: operations["deleteTariff"];
        options?: never;
        head?: never;
        /** Change some fields of a tariff */
        patch: operations["updateTariff"];
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One's own API tokens (or, with operators:manage, an operator's: ?operator=ID) */
        get: operations["listTokens"];
        put?: never;
        /** Make an API token for oneself (role at most one’s own); the token is shown once */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token (one’s own, or anyone’s with operators:manage) */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the active live traces (this instance’s and those other instances announced) */
        get: operations["listTraces"];
        put?: never;
        /** Start a live trace of one User-Name or one NAS (at most 2 per operator, 20 in all) */
        post: operations["startTrace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One active live trace */
        get: operations["getTrace"];
        put?: never;
        post?: never;
        /** End a live trace started on this instance (its event streams end); only its owner or an admin may */
        delete: operations["stopTrace"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A live trace's events as Server-Sent Events (at most 4 streams per operator) */
        get: operations["traceEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vendor-profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every vendor's reply profile as configured (built-in, with the vendors overrides applied) */
        get: operations["listVendorProfiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /** @description Billing accounts: one balance shared by one or more subscribers. */
        Account: {
            /** @description Sum of unexpired temporary credits (minor units). */
            readonly activeCredit: number;
            /** @description Integer minor units. Changed by payments, adjustments and charges only. */
            readonly balance: number;
            /**
             * Format: date-time
             * @description When the row was created (UTC).
             */
            readonly createdAt: string;
            /**
             * @description Permanent credit: the account stays active while balance + creditLimit + activeCredit ≥ 0. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            creditLimit: number;
            /** @description Assigned by the server. */
            readonly id: number;
            /**
             * @description Derived from balance and credit.
             * @enum {string}
             */
            readonly state: "active" | "blocked";
            /**
             * Format: date-time
             * @description When the current state began.
             */
            readonly stateSince: string;
            /**
             * Format: date-time
             * @description When the row last changed (UTC).
             */
            readonly updatedAt: string;
        };
        AccountCreate: {
            /**
             * @description Permanent credit: the account stays active while balance + creditLimit + activeCredit ≥ 0. Integer minor units (e.g. cents), at most 1000000000000000.
             * @default 0
             * @example 1500
             */
            creditLimit: number;
        };
        AccountPage: {
            items: components["schemas"]["Account"][];
            limit: number;
            offset: number;
            total: number;
        };
        /** @description Any subset of the fields; null clears a nullable one. */
        AccountPatch: {
            /**
             * @description Permanent credit: the account stays active while balance + creditLimit + activeCredit ≥ 0. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            creditLimit?: number;
        };
        /** @description A manual correction of a balance. Integer minor units, signed. */
        Adjustment: {
            accountId: number;
            /** @description Signed, never 0. A legacy value beyond ±9007199254740991 (2^53 − 1) is returned clamped to it. */
            amount: number;
            /**
             * Format: date-time
             * @description When it was applied (UTC).
             */
            createdAt: string;
            id: number;
            /** @description The operator who made it (null: the bootstrap admin, the CLI, the portal, or before operators existed). */
            operatorId: number | null;
            /** @description That operator's login. */
            operatorLogin: string | null;
            reason: string;
        };
        AdjustmentCreate: {
            /**
             * @description The account corrected.
             * @example 1
             */
            accountId: number;
            /**
             * @description Added to the balance: negative debits, positive refunds or bonuses. Integer minor units (e.g. cents), signed, not 0, within ±1000000000000000.
             * @example -500
             * @example 1500
             */
            amount: number;
            /**
             * @description Why (shown to the subscriber and auditors).
             * @example refund: outage 2025-01-31
             */
            reason: string;
        };
        AdjustmentPage: {
            items: components["schemas"]["Adjustment"][];
            limit: number;
            offset: number;
            total: number;
        };
        AuditEntry: {
            /** @description e.g. subscriber.update, payment.create, auth.login, auth.login_failed, auth.lockout. */
            action: string;
            /** @description The client address (empty for the CLI). */
            address: string;
            /** @description The row after the change (API view, secrets "[redacted]"), or null. */
            after: unknown;
            /**
             * Format: date-time
             * @description When (UTC).
             */
            at: string;
            /** @description The row before the change (API view, secrets "[redacted]"), or null. */
            before: unknown;
            id: number;
            login: string;
            /** @description Null for the bootstrap admin, the CLI and anonymous callers. */
            operatorId: number | null;
            /** @description e.g. subscriber:42. */
            target: string | null;
            /** @enum {string} */
            via: "bootstrap" | "session" | "token" | "anonymous" | "cli";
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            limit: number;
            /** @description Pass as before for the next (older) page; null on the last page. */
            nextBefore: number | null;
        };
        /** @description An auth log entry with its reason in words. */
        AuthDecision: {
            /**
             * Format: date-time
             * @description When it was decided.
             */
            at: string;
            callingStationId: string | null;
            method: string;
            nas: string;
            nasPort: string | null;
            reason: string | null;
            /** @description The reason as a sentence (docs/api.md lists them); null on accept. */
            reasonText: string | null;
            /** @enum {string} */
            result: "accept" | "redirect" | "reject";
        };
        /** @description One authentication result. Passwords are never logged. */
        AuthLogEntry: {
            /** Format: date-time */
            at: string;
            callingStationId: string | null;
            /** @description The entry id: the order of entries with the same at. */
            id: number;
            /** @description pap, chap, mschapv2, … */
            method: string;
            /** @description NAS name. */
            nas: string;
            nasPort: string | null;
            /** @description unknown_user, bad_password, disabled, blocked, suspended, …; null on accept. */
            reason: string | null;
            /** @enum {string} */
            result: "accept" | "redirect" | "reject";
            username: string;
        };
        AuthLogPage: {
            items: components["schemas"]["AuthLogEntry"][];
            limit: number;
            /**
             * Format: date-time
             * @description Pass as `before` (with nextBeforeId as `beforeId`) for the next page; null when this page is the last.
             */
            nextBefore: string | null;
            /** @description Pass as `beforeId` with `before` for the next page; null when this page is the last. */
            nextBeforeId: number | null;
        };
        /** @description Money taken (traffic, time, daily fee, one-off). Integer minor units. */
        Charge: {
            accountId: number;
            /** @description A legacy value beyond ±9007199254740991 (2^53 − 1) is returned clamped to it. */
            amount: number;
            comment: string | null;
            /**
             * Format: date-time
             * @description When it was charged (UTC).
             */
            createdAt: string;
            /**
             * Format: date
             * @description The charged UTC day (fee).
             */
            feeDay: string | null;
            id: number;
            /** @enum {string} */
            kind: "traffic" | "time" | "fee" | "one_off";
            /** @description The rated session (traffic, time). */
            sessionId: number | null;
            /** @description The charged subscription (fee). */
            subscriptionId: number | null;
        };
        ChargePage: {
            items: components["schemas"]["Charge"][];
            limit: number;
            offset: number;
            total: number;
        };
        /** @description A CoA or Disconnect request and its outcome. */
        CoaAuditEntry: {
            /** @description restrict, restore, disconnect, … */
            action: string;
            /**
             * Format: date-time
             * @description When it was first sent.
             */
            at: string;
            attempts: number;
            /** @description Error-Cause of a NAK (RFC 5176). */
            errorCause: number | null;
            nas: string;
            /** @enum {string} */
            request: "coa" | "disconnect";
            /** @enum {string} */
            result: "ack" | "nak" | "timeout" | "aborted";
            rttMs: number | null;
            sessionId: number | null;
            /** @enum {string} */
            transport: "udp" | "radsec";
        };
        /** @description Temporary credit: counts toward the allowance while unexpired. Not money: the balance does not change. */
        Credit: {
            accountId: number;
            /** @description Unexpired when read. */
            active: boolean;
            /** @description A legacy value beyond ±9007199254740991 (2^53 − 1) is returned clamped to it. */
            amount: number;
            /**
             * Format: date-time
             * @description When it was granted (UTC).
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description When it stops counting (UTC).
             */
            expiresAt: string;
            id: number;
            /** @description The operator who made it (null: the bootstrap admin, the CLI, the portal, or before operators existed). */
            operatorId: number | null;
            /** @description That operator's login. */
            operatorLogin: string | null;
            reason: string;
        };
        /** @description Give exactly one of days and expiresAt. */
        CreditCreate: {
            /**
             * @description Temporary credit: added to the allowance until it expires. Integer minor units (e.g. cents), 1 to 1000000000000000.
             * @example 1500
             */
            amount: number;
            /** @description Lifetime in days from now (1–365); give this or expiresAt. */
            days?: number;
            /**
             * Format: date-time
             * @description When the credit stops counting: in the future, at most 365 days ahead; give this or days.
             * @example 2025-01-31T12:00:00Z
             */
            expiresAt?: string;
            /**
             * @description Why (e.g. "promised payment").
             * @example promised payment
             */
            reason: string;
        };
        CreditPage: {
            items: components["schemas"]["Credit"][];
            limit: number;
            offset: number;
            total: number;
        };
        /** @description The days that had a movement or a credit, oldest first, with the running balance. */
        DailyStatement: {
            accountId: number;
            /** @description The balance at the end of to. Integer minor units. */
            closingBalance: number;
            /** @description portal.currency: what the minor units are of. */
            currency: string;
            days: components["schemas"]["StatementDay"][];
            /** Format: date */
            from: string;
            /** @description The balance at the start of from. Integer minor units. */
            openingBalance: number;
            /** @description The IANA time zone of the days (fees.timeZone). */
            timeZone: string;
            /** Format: date */
            to: string;
            totals: {
                /** @description Adjustments, signed. Integer minor units. */
                adjustments: number;
                /** @description Traffic, time and one-off charges (money taken). Integer minor units. */
                charges: number;
                /** @description Temporary credit granted: not money, it does not move the balance. Integer minor units. */
                credits: number;
                /** @description Daily fees (money taken). Integer minor units. */
                fees: number;
                /** @description Payments received. Integer minor units. */
                payments: number;
            };
        };
        Dashboard: {
            accounting: {
                /** @description Age of the oldest unrated journal row; 0 when none. */
                oldestUnratedSeconds: number;
                /** @description sessionsStarted over the range in minutes. */
                sessionsPerMinute: number;
                /** @description Sessions started in the range. */
                sessionsStarted: number;
                /** @description Accounting records journaled and not yet rated. */
                unratedRecords: number;
            };
            /** @description Accounts blocked now. */
            blockedAccounts: number;
            /** @description 60, or wider for ranges over a day (at most 1440 buckets). */
            bucketSeconds: number;
            coa: {
                aborted: number;
                ack: number;
                nak: number;
                /** @description ack / total; null without requests. */
                successRate: number | null;
                timeout: number;
                /** @description CoA and Disconnect requests in the range. */
                total: number;
            };
            /** @description Access decisions per bucket, oldest first; buckets without any are left out. */
            decisions: {
                accept: number;
                /** Format: date-time */
                at: string;
                redirect: number;
                reject: number;
            }[];
            /** Format: date-time */
            from: string;
            month: {
                /** @description Charges and daily fees. Integer minor units. */
                charges: number;
                /** @description Payments received. Integer minor units. */
                payments: number;
            };
            /** @description Sessions open now. */
            onlineSessions: number;
            /** @description What today and this month are days of (fees.timeZone; UTC when none is configured). */
            timeZone: string;
            /** Format: date-time */
            to: string;
            today: {
                /** @description Charges and daily fees. Integer minor units. */
                charges: number;
                /** @description Payments received. Integer minor units. */
                payments: number;
            };
        };
        /** @description One `event: figures` of the live stream (its data, JSON). */
        DashboardLive: {
            /** Format: date-time */
            at: string;
            /** @description Access decisions per second over the last 60 s of the auth log. */
            decisionsPerSecond: number;
            oldestUnratedSeconds: number;
            /** @description Sessions open now. */
            onlineSessions: number;
            unratedRecords: number;
        };
        /** @description COA_FAILED: the NAS refused (nak) or did not answer (timeout). The outcome is given next to the error. */
        DisconnectFailure: {
            /** @description Transmissions made (1 + retransmissions). */
            attempts: number;
            error: {
                /** @constant */
                code: "COA_FAILED";
                /** @description For people; may change between releases. */
                message: string;
            };
            /** @description Error-Cause of a NAK (RFC 5176 §3.5), when the NAS sent one: 503 Session Context Not Found, … */
            errorCause?: number;
            /**
             * @description Disconnect-ACK, Disconnect-NAK, or no verified answer after every retransmission.
             * @enum {string}
             */
            result: "ack" | "nak" | "timeout";
        };
        /** @description The NAS acknowledged the Disconnect-Request. */
        DisconnectResult: {
            /** @description Transmissions made (1 + retransmissions). */
            attempts: number;
            /** @description Error-Cause of a NAK (RFC 5176 §3.5), when the NAS sent one: 503 Session Context Not Found, … */
            errorCause?: number;
            /**
             * @description Disconnect-ACK, Disconnect-NAK, or no verified answer after every retransmission.
             * @enum {string}
             */
            result: "ack" | "nak" | "timeout";
        };
        Error: {
            error: {
                /**
                 * @description Stable; see the table in docs/api.md.
                 * @enum {string}
                 */
                code: "VALIDATION_FAILED" | "MALFORMED_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "CSRF_FAILED" | "TOO_MANY_REQUESTS" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "REFERENCE" | "AMOUNT_OUT_OF_RANGE" | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "INTERNAL" | "UNAVAILABLE" | "COA_FAILED" | "COA_UNAVAILABLE";
                /** @description VALIDATION_FAILED: every problem, the first of which is repeated in field and message. */
                details?: {
                    field: string;
                    message: string;
                }[];
                /** @description The body field or query parameter the (first) problem is about. */
                field?: string;
                /** @description For people; may change between releases. */
                message: string;
            };
        };
        /** @description A session in the export. CSV columns: id, username, framed_ip, calling_station_id, nas, nas_port, acct_session_id, started_at, stopped_at, input_octets, output_octets, session_time, terminate_cause. */
        ExportedSession: {
            acctSessionId: string;
            /** @description Calling-Station-Id (the MAC address on most BRAS). */
            callingStationId: string | null;
            /** @description Framed-IP-Address. */
            framedIp: string | null;
            id: number;
            /** @description Bytes from the subscriber. */
            inputOctets: number;
            /** @description NAS name. */
            nas: string;
            /** @description NAS-Port or NAS-Port-Id. */
            nasPort: string | null;
            /** @description Bytes to the subscriber. */
            outputOctets: number;
            /** @description Seconds. */
            sessionTime: number;
            /** Format: date-time */
            startedAt: string;
            /**
             * Format: date-time
             * @description Null while open.
             */
            stoppedAt: string | null;
            /** @description Acct-Terminate-Cause. */
            terminateCause: string | null;
            username: string;
        };
        /** @description An accounting record held for review instead of charged (docs/accounting.md rule 7). */
        HeldAccounting: {
            /** @description The session's account, if known. */
            accountId: number | null;
            acctSessionId: string;
            /**
             * Format: date-time
             * @description When it was approved or discarded; null while held.
             */
            decidedAt: string | null;
            /** @description Who decided, e.g. "alice (api token)". */
            decidedBy: string | null;
            /** @description Receive time since the previous record of the session, seconds (decimal string). */
            elapsedSeconds: string;
            /**
             * Format: date-time
             * @description When the rater held it.
             */
            heldAt: string;
            id: number;
            /** @description NAS name. */
            nas: string;
            /** @description The note given with the decision. */
            note: string | null;
            /** @description Octets the record claimed over the session (a decimal string: it can exceed 2^64). */
            octets: string;
            /**
             * @description octet_rate: more octets than maxRateBitsPerSecond could carry since the previous record; session_time: more session time than has passed.
             * @enum {string}
             */
            reason: "octet_rate" | "session_time";
            /** @description The record as journaled; null when it does not decode (then it can only be discarded). */
            record: {
                acctSessionId: string;
                /**
                 * @description The service the Access-Accept gave, as echoed in Class.
                 * @enum {string|null}
                 */
                answered: "restricted" | "normal" | null;
                /** @description Calling-Station-Id. */
                callingStationId: string | null;
                /** @description Acct-Delay-Time, seconds. */
                delayTime: number;
                /**
                 * Format: date-time
                 * @description Event-Timestamp, else receive time minus Acct-Delay-Time.
                 */
                eventTime: string;
                /** @description Framed-IP-Address. */
                framedIp: string | null;
                /** @description Acct-Input-Octets with Gigawords, bytes (decimal string). */
                inputOctets: string | null;
                /** @description NAS-Port-Id, or NAS-Port as text. */
                nasPort: string | null;
                /** @description Acct-Output-Octets with Gigawords, bytes (decimal string). */
                outputOctets: string | null;
                /**
                 * Format: date-time
                 * @description When Tollgate received it.
                 */
                receivedAt: string;
                /** @description Acct-Session-Time, seconds (decimal string). */
                sessionTime: string | null;
                /** @enum {string} */
                status: "start" | "stop" | "interim-update" | "accounting-on" | "accounting-off" | "other";
                /** @description Acct-Status-Type as sent. */
                statusType: number;
                /** @description Acct-Terminate-Cause. */
                terminateCause: string | null;
                username: string;
            } | null;
            /** @description Session seconds the record claimed over the session (decimal string). */
            seconds: string;
            /** @description The session it was held for; null when that session was deleted. */
            sessionId: number | null;
            /** @enum {string} */
            state: "held" | "approved" | "discarded";
            username: string;
        };
        HeldAccountingPage: {
            items: components["schemas"]["HeldAccounting"][];
            limit: number;
            /** @description Pass as `after` for the next page; null when this page is the last. */
            nextAfter: number | null;
        };
        HeldDecision: {
            /**
             * @description Who decides (an operator name); recorded as "<by> (api token)".
             * @example alice
             */
            by: string;
            note?: string | null;
        };
        Login: {
            /**
             * @description The operator login (case-insensitive).
             * @example alice
             */
            login: string;
            /** @description The password. */
            password: string;
            /**
             * @description The 6-digit code of the authenticator app, when the operator has a second factor.
             * @example 123456
             */
            totp?: string;
        };
        LoginResult: {
            /** @description Send it as X-CSRF-Token on every POST, PATCH, PUT and DELETE of this session. */
            csrfToken: string;
            /**
             * Format: date-time
             * @description When the session ends at the latest (it ends sooner when idle).
             */
            expiresAt: string;
            operator: components["schemas"]["Operator"];
        };
        Me: {
            /** @description A console session's X-CSRF-Token (the one the login answered), so a reloaded console can send it; absent for tokens. */
            csrfToken?: string;
            /**
             * @description How the request was authenticated.
             * @enum {string}
             */
            kind: "bootstrap" | "session" | "token";
            login: string;
            /** @description Null for the bootstrap admin token. */
            operator: components["schemas"]["Operator"] | null;
            permissions: string[];
            /**
             * @description The role in force (a token's, at most its operator's).
             * @enum {string}
             */
            role: "admin" | "billing" | "support" | "readonly";
        };
        /** @description RADIUS clients (BRAS, BNG, access points): who may send requests and with which secret. */
        Nas: {
            /**
             * @description Source address of the NAS: an IPv4/IPv6 address or a CIDR (no host bits set).
             * @example 192.0.2.10
             * @example 10.0.0.0/8
             * @example 2001:db8::/32
             */
            address: string;
            /** @description UDP port for CoA/Disconnect requests (RFC 5176). */
            coaPort: number;
            /**
             * Format: date-time
             * @description When the row was created (UTC).
             */
            readonly createdAt: string;
            /** @description Assigned by the server. */
            readonly id: number;
            /** @description Drop requests with Proxy-State but no Message-Authenticator (BlastRADIUS). */
            limitProxyState: boolean;
            /** @description Message-Authenticator from this NAS (BlastRADIUS): the requirement in force and what was seen. */
            readonly messageAuthenticator: {
                /** @description Access-Requests from this NAS since this instance started (with workers: summed over them); one whose Message-Authenticator does not verify is not counted. null when no process of this instance has the NAS in its client table. */
                counts: {
                    /** @description Access-Requests without Message-Authenticator. */
                    absent: number;
                    /** @description Access-Requests with Message-Authenticator as the first attribute. */
                    first: number;
                    /** @description Access-Requests with Message-Authenticator elsewhere. */
                    present: number;
                    /** @description The same counts for the Access-Requests that carried Proxy-State. */
                    withProxyState: {
                        /** @description Of those, the ones without Message-Authenticator. */
                        absent: number;
                        /** @description Of those, the ones with Message-Authenticator as the first attribute. */
                        first: number;
                        /** @description Of those, the ones with Message-Authenticator elsewhere. */
                        present: number;
                    };
                } | null;
                /** @description Whether an Access-Request without Message-Authenticator is dropped now (auto: once it has been seen). */
                required: boolean;
                /** @description auto: when the NAS first sent a valid Message-Authenticator (stored); null before, and for true and false. */
                seenAt: string | null;
            };
            /**
             * @description Unique name, used in logs and metrics.
             * @example bras-1
             */
            name: string;
            /** @description Drop Access-Requests without Message-Authenticator (BlastRADIUS). auto: not until the NAS has sent a valid one, then for good (stored). */
            requireMessageAuthenticator: boolean | "auto";
            tlsName: string | null;
            /**
             * Format: date-time
             * @description When the row last changed (UTC).
             */
            readonly updatedAt: string;
            /**
             * @description Vendor profile for replies and CoA.
             * @enum {string}
             */
            vendor: "generic" | "mikrotik" | "accel-ppp" | "cisco" | "juniper" | "huawei" | "ericsson" | "vasexperts";
        };
        NasCreate: {
            /**
             * @description Source address of the NAS: an IPv4/IPv6 address or a CIDR (no host bits set).
             * @example 192.0.2.10
             * @example 10.0.0.0/8
             * @example 2001:db8::/32
             */
            address: string;
            /**
             * @description UDP port for CoA/Disconnect requests (RFC 5176).
             * @default 3799
             */
            coaPort: number;
            /**
             * @description Drop requests with Proxy-State but no Message-Authenticator (BlastRADIUS).
             * @default true
             */
            limitProxyState: boolean;
            /**
             * @description Unique name, used in logs and metrics.
             * @example bras-1
             */
            name: string;
            /**
             * @description Drop Access-Requests without Message-Authenticator (BlastRADIUS). auto: not until the NAS has sent a valid one, then for good (stored).
             * @default auto
             */
            requireMessageAuthenticator: boolean | "auto";
            /** @description RADIUS shared secret, at least 8 characters. Write-only: never returned. */
            secret: string;
            tlsName?: string | null;
            /**
             * @description Vendor profile for replies and CoA.
             * @enum {string}
             */
            vendor: "generic" | "mikrotik" | "accel-ppp" | "cisco" | "juniper" | "huawei" | "ericsson" | "vasexperts";
        };
        NasPage: {
            items: components["schemas"]["Nas"][];
            limit: number;
            offset: number;
            total: number;
        };
        /** @description Any subset of the fields; null clears a nullable one. */
        NasPatch: {
            /**
             * @description Source address of the NAS: an IPv4/IPv6 address or a CIDR (no host bits set).
             * @example 192.0.2.10
             * @example 10.0.0.0/8
             * @example 2001:db8::/32
             */
            address?: string;
            /** @description UDP port for CoA/Disconnect requests (RFC 5176). */
            coaPort?: number;
            /** @description Drop requests with Proxy-State but no Message-Authenticator (BlastRADIUS). */
            limitProxyState?: boolean;
            /**
             * @description Unique name, used in logs and metrics.
             * @example bras-1
             */
            name?: string;
            /** @description Drop Access-Requests without Message-Authenticator (BlastRADIUS). auto: not until the NAS has sent a valid one, then for good (stored). */
            requireMessageAuthenticator?: boolean | "auto";
            /** @description RADIUS shared secret, at least 8 characters. Write-only: never returned. */
            secret?: string;
            tlsName?: string | null;
            /**
             * @description Vendor profile for replies and CoA.
             * @enum {string}
             */
            vendor?: "generic" | "mikrotik" | "accel-ppp" | "cisco" | "juniper" | "huawei" | "ericsson" | "vasexperts";
        };
        NasStatus: {
            address: string;
            /** @description The nas row; null for a config-file client. */
            id: number | null;
            /**
             * Format: date-time
             * @description The last request that passed the checks, to within 30 s; null when never seen.
             */
            lastSeenAt: string | null;
            messageAuthenticator: {
                /** @description As in Nas.messageAuthenticator.counts. */
                counts: Record<string, never> | null;
                /** @description The requirement in force (auto: whether a valid one has been seen). */
                required: boolean;
                /**
                 * Format: date-time
                 * @description auto rows: the first valid one; null otherwise.
                 */
                seenAt: string | null;
                /** @description true, false or "auto". */
                setting: boolean | string;
            };
            name: string;
            /** @enum {string} */
            source: "database" | "config";
            vendor: string;
        };
        NasStatusList: {
            items: components["schemas"]["NasStatus"][];
        };
        /** @description An operator of the console (never the password hash or the TOTP secret). */
        Operator: {
            /**
             * Format: date-time
             * @description When it was created (UTC).
             */
            createdAt: string;
            disabled: boolean;
            displayName: string;
            id: number;
            /**
             * Format: date-time
             * @description The last console sign-in.
             */
            lastLoginAt: string | null;
            login: string;
            /** @enum {string} */
            role: "admin" | "billing" | "support" | "readonly";
            /** @description Whether a second factor (TOTP) is enrolled. */
            totpEnabled: boolean;
            /**
             * Format: date-time
             * @description When it last changed (UTC).
             */
            updatedAt: string;
        };
        OperatorCreate: {
            /**
             * @description The name shown in the console and the audit log.
             * @example Alice Smith
             */
            displayName?: string;
            /**
             * @description Unique, case-insensitive: 1–64 letters, digits and . _ @ - (starting with a letter or digit).
             * @example alice
             */
            login: string;
            /** @description The first password (the operator can change it). At least 12 characters. */
            password: string;
            /**
             * @description The role: admin, billing, support or readonly (docs/console.md).
             * @enum {string}
             */
            role: "admin" | "billing" | "support" | "readonly";
        };
        OperatorList: {
            items: components["schemas"]["Operator"][];
        };
        OperatorPasswordReset: {
            /** @description The new password. At least 12 characters. */
            password: string;
        };
        /** @description Any subset of the fields; null clears a nullable one. */
        OperatorPatch: {
            /** @description True: the operator cannot sign in; its sessions end and its tokens stop working. */
            disabled?: boolean;
            /** @description The name shown in the console and the audit log. */
            displayName?: string;
            /**
             * @description The role.
             * @enum {string}
             */
            role?: "admin" | "billing" | "support" | "readonly";
        };
        /** @description An operator's API token, without its secret. */
        OperatorToken: {
            /**
             * Format: date-time
             * @description When it was made (UTC).
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description When it stops working (UTC).
             */
            expiresAt: string;
            id: number;
            /**
             * Format: date-time
             * @description The last use, to the minute.
             */
            lastUsedAt: string | null;
            name: string;
            operatorId: number;
            operatorLogin: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            role: "admin" | "billing" | "support" | "readonly";
        };
        OperatorTokenCreate: {
            /** @description Lifetime in days (1–365). */
            expiresInDays: number;
            /**
             * @description What the token is for (shown in lists).
             * @example billing export script
             */
            name: string;
            /**
             * @description The token's role: at most the maker's (default: the maker's role).
             * @enum {string}
             */
            role?: "admin" | "billing" | "support" | "readonly";
        };
        /** @description The new token with its text, shown this once. */
        OperatorTokenCreated: {
            /**
             * Format: date-time
             * @description When it was made (UTC).
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description When it stops working (UTC).
             */
            expiresAt: string;
            id: number;
            /**
             * Format: date-time
             * @description The last use, to the minute.
             */
            lastUsedAt: string | null;
            name: string;
            operatorId: number;
            operatorLogin: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            role: "admin" | "billing" | "support" | "readonly";
            /** @description tg_<id>_<secret>: send as Authorization: Bearer. Shown this once. */
            token: string;
        };
        OperatorTokenList: {
            items: components["schemas"]["OperatorToken"][];
        };
        PasswordChange: {
            /** @description The password now. */
            currentPassword: string;
            /** @description The new password. At least 12 characters. */
            newPassword: string;
        };
        /** @description Money received. Integer minor units. */
        Payment: {
            accountId: number;
            /** @description A legacy value beyond ±9007199254740991 (2^53 − 1) is returned clamped to it. */
            amount: number;
            comment: string | null;
            /**
             * Format: date-time
             * @description When it was applied (UTC).
             */
            createdAt: string;
            /** @description As given, without leading or trailing whitespace. */
            externalId: string;
            id: number;
            /** @description The operator who made it (null: the bootstrap admin, the CLI, the portal, or before operators existed). */
            operatorId: number | null;
            /** @description That operator's login. */
            operatorLogin: string | null;
        };
        PaymentCreate: {
            /**
             * @description The account credited.
             * @example 1
             */
            accountId: number;
            /**
             * @description Money received. Integer minor units (e.g. cents), 1 to 1000000000000000.
             * @example 1500
             */
            amount: number;
            comment?: string | null;
            /**
             * @description The payment system's transaction id (or one the operator makes up, e.g. manual:<uuid>). A payment is applied once per externalId: a redelivery answers 200 with the existing payment. Leading and trailing whitespace is removed.
             * @example psp:7f3a9c
             */
            externalId: string;
        };
        PaymentPage: {
            items: components["schemas"]["Payment"][];
            limit: number;
            offset: number;
            total: number;
        };
        ReplyAttribute: {
            /** @description The dictionary name. */
            name: string;
            tag?: number;
            /** @description The value as text: integers by their VALUE name when they have one, printable octets as text, other octets as 0x hex. */
            value: string;
            /** @description The vendor's dictionary name; null for a standard attribute. */
            vendor: string | null;
        };
        /** @description What an Access-Request from this NAS would be answered now. Not included: the credential check, the MAC binding and Simultaneous-Use (each a reject of its own), a Framed-IP-Address the request carries, MS-CHAPv2's MS-CHAP2-Success and MPPE keys. */
        ReplyPreview: {
            attributes: components["schemas"]["ReplyAttribute"][];
            /** @enum {string} */
            code: "Access-Accept" | "Access-Reject";
            nas: {
                id: number | null;
                name: string;
                vendor: string;
            };
            reason: string | null;
            reasonText: string | null;
            /** @enum {string} */
            result: "accept" | "redirect" | "reject";
        };
        /** @description A tariff change scheduled for the next period (PATCH with effective "next-period"); the fee run applies it before it charges effectiveOn. */
        ScheduledTariffChange: {
            /**
             * Format: date
             * @description The first fee day on the new tariff (a day of the fee time zone).
             */
            effectiveOn: string;
            tariffId: number;
            tariffName: string;
        };
        /** @description A subscriber the search found, once, under the first key that found it. */
        SearchHit: {
            accountId: number;
            /** @enum {string} */
            accountState: "active" | "blocked";
            /**
             * @description framedIp: the subscriber's static address; sessionIp: an open session holds it; mac: the MAC binding; sessionMac: an open session's Calling-Station-Id; subscriberId, accountId: the number; login: the username starts with the text.
             * @enum {string}
             */
            matchedBy: "framedIp" | "sessionIp" | "mac" | "sessionMac" | "subscriberId" | "accountId" | "login";
            subscriberId: number;
            username: string;
        };
        SearchResult: {
            /** @description The keys the text was looked up as. */
            interpretedAs: ("login" | "ip" | "mac" | "id")[];
            items: components["schemas"]["SearchHit"][];
            limit: number;
        };
        /** @description An accounting session (RADIUS Accounting Start … Stop). Traffic in bytes, time in seconds. */
        Session: {
            /** @description Null when unknown or deleted. */
            accountId: number | null;
            /** @description Acct-Session-Id given by the NAS. */
            acctSessionId: string;
            /** @description Calling-Station-Id (usually the MAC). */
            callingStationId: string | null;
            /** @description Framed-IP-Address. */
            framedIp: string | null;
            id: number;
            /** @description Bytes from the subscriber. */
            inputOctets: number;
            /** @description NAS name. */
            nas: string;
            /** @description NAS-Port or NAS-Port-Id. */
            nasPort: string | null;
            /** @description Bytes to the subscriber. */
            outputOctets: number;
            /** @description Acct-Session-Time, seconds. */
            sessionTime: number;
            /**
             * Format: date-time
             * @description Session start (UTC).
             */
            startedAt: string;
            /**
             * Format: date-time
             * @description Session stop (UTC); null while open.
             */
            stoppedAt: string | null;
            /** @description Null when unknown or deleted. */
            subscriberId: number | null;
            /** @description Acct-Terminate-Cause, NAS-Reboot, or Stale-Session (closed by the sweep when its Stop was lost). */
            terminateCause: string | null;
            /**
             * Format: date-time
             * @description Last accounting record (UTC).
             */
            updatedAt: string;
            username: string;
        };
        SessionPage: {
            items: components["schemas"]["Session"][];
            limit: number;
            offset: number;
            total: number;
        };
        StatementDay: {
            /** @description Adjustments, signed. Integer minor units. */
            adjustments: number;
            /** @description Traffic, time and one-off charges (money taken). Integer minor units. */
            charges: number;
            /** @description openingBalance − charges − fees + payments + adjustments. Integer minor units. */
            closingBalance: number;
            /** @description Temporary credit granted: not money, it does not move the balance. Integer minor units. */
            credits: number;
            /** Format: date */
            day: string;
            /** @description Daily fees (money taken). Integer minor units. */
            fees: number;
            /** @description The balance at the start of the day. Integer minor units. */
            openingBalance: number;
            /** @description Payments received. Integer minor units. */
            payments: number;
        };
        /** @description RADIUS users: credentials, bindings and the account and tariff they belong to. */
        Subscriber: {
            /**
             * @description The account whose balance this subscriber uses.
             * @example 1
             */
            accountId: number;
            /**
             * Format: date-time
             * @description When the row was created (UTC).
             */
            readonly createdAt: string;
            framedIp: string | null;
            framedPool: string | null;
            /** @description Whether a cleartext password is stored (CHAP needs one); the credentials themselves are never returned. */
            readonly hasCleartextPassword: boolean;
            /** @description Assigned by the server. */
            readonly id: number;
            mac: string | null;
            /** @description The tariff change scheduled for the next period, or null. PATCH with tariffId and effective "next-period" schedules one; DELETE /api/v1/subscribers/{id}/scheduled-tariff-change cancels it. */
            readonly scheduledTariffChange: components["schemas"]["ScheduledTariffChange"] | null;
            simultaneousUse: number | null;
            /**
             * @description active: normal service; suspended: redirected; disabled: rejected.
             * @enum {string}
             */
            status: "active" | "suspended" | "disabled";
            tariffId: number | null;
            /**
             * Format: date-time
             * @description When the row last changed (UTC).
             */
            readonly updatedAt: string;
            /**
             * @description RADIUS User-Name, matched exactly.
             * @example alice@isp
             */
            username: string;
        };
        SubscriberCreate: {
            /**
             * @description The account whose balance this subscriber uses.
             * @example 1
             */
            accountId: number;
            framedIp?: string | null;
            framedPool?: string | null;
            mac?: string | null;
            /**
             * @description NT hash (32 hex digits) when only the hash is known (PAP, MS-CHAPv2; no CHAP). Write-only: never returned.
             * @example 8846f7eaee8fb117ad06bdd830b7586c
             */
            ntHash?: string;
            /** @description Cleartext password (PAP, CHAP, MS-CHAPv2). Write-only: never returned. */
            password?: string;
            simultaneousUse?: number | null;
            /**
             * @description active: normal service; suspended: redirected; disabled: rejected.
             * @default active
             * @enum {string}
             */
            status: "active" | "suspended" | "disabled";
            tariffId?: number | null;
            /**
             * @description RADIUS User-Name, matched exactly.
             * @example alice@isp
             */
            username: string;
        };
        SubscriberOverview: {
            account: components["schemas"]["Account"];
            /** @description The last 20 decisions for the username, newest first. */
            authLog: components["schemas"]["AuthDecision"][];
            /** @description The newest CoA or Disconnect about the username, or null. */
            lastCoa: components["schemas"]["CoaAuditEntry"] | null;
            /** @description Open sessions, newest first (at most 50). */
            openSessions: components["schemas"]["Session"][];
            /** @description The account's current state period: since when, and what moved it there (created, payment, charge, credit_limit, credit_expired, …). */
            state: {
                reason: string;
                /**
                 * Format: date-time
                 * @description When it began.
                 */
                since: string;
                /** @enum {string} */
                state: "active" | "blocked";
            };
            subscriber: components["schemas"]["Subscriber"];
        };
        SubscriberPage: {
            items: components["schemas"]["Subscriber"][];
            limit: number;
            offset: number;
            total: number;
        };
        /** @description Any subset of the fields; null clears a nullable one. */
        SubscriberPatch: {
            /**
             * @description The account whose balance this subscriber uses.
             * @example 1
             */
            accountId?: number;
            /**
             * @description When the tariffId of this body takes effect. now (default): today is the first fee day on the new tariff. next-period: the first day of the next period (the next calendar month of the fee time zone); the change is scheduled, replacing one scheduled before, and applied by the fee run on that day; the other fields of the body still change now. Needs tariffId, a current tariff and a different one. Not stored.
             * @enum {string}
             */
            effective?: "now" | "next-period";
            framedIp?: string | null;
            framedPool?: string | null;
            mac?: string | null;
            /**
             * @description NT hash (32 hex digits) when only the hash is known (PAP, MS-CHAPv2; no CHAP). Write-only: never returned.
             * @example 8846f7eaee8fb117ad06bdd830b7586c
             */
            ntHash?: string;
            /** @description Cleartext password (PAP, CHAP, MS-CHAPv2). Write-only: never returned. */
            password?: string;
            simultaneousUse?: number | null;
            /**
             * @description active: normal service; suspended: redirected; disabled: rejected.
             * @enum {string}
             */
            status?: "active" | "suspended" | "disabled";
            tariffId?: number | null;
            /**
             * @description RADIUS User-Name, matched exactly.
             * @example alice@isp
             */
            username?: string;
        };
        /** @description Rate plans: fees, prices and rate limits. Money is integer minor units. */
        Tariff: {
            /**
             * Format: date-time
             * @description When the row was created (UTC).
             */
            readonly createdAt: string;
            /** @description Download rate limit in kbit/s; 0 = no limit. */
            downKbps: number;
            /** @description Assigned by the server. */
            readonly id: number;
            /** @description Bytes per calendar month included in the fee. */
            includedBytes: number;
            /**
             * @description Subscription fee per calendar month, charged daily. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            monthlyFee: number;
            /**
             * @description Unique tariff name.
             * @example Home 100
             */
            name: string;
            /**
             * @description Price per 10^9 bytes beyond includedBytes in a calendar month. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            pricePerGB: number;
            /**
             * @description Price per minute of session time. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            pricePerMinute: number;
            /**
             * Format: date-time
             * @description When the row last changed (UTC).
             */
            readonly updatedAt: string;
            /** @description Upload rate limit in kbit/s; 0 = no limit. */
            upKbps: number;
        };
        TariffCreate: {
            /**
             * @description Download rate limit in kbit/s; 0 = no limit.
             * @default 0
             */
            downKbps: number;
            /**
             * @description Bytes per calendar month included in the fee.
             * @default 0
             */
            includedBytes: number;
            /**
             * @description Subscription fee per calendar month, charged daily. Integer minor units (e.g. cents), at most 1000000000000000.
             * @default 0
             * @example 1500
             */
            monthlyFee: number;
            /**
             * @description Unique tariff name.
             * @example Home 100
             */
            name: string;
            /**
             * @description Price per 10^9 bytes beyond includedBytes in a calendar month. Integer minor units (e.g. cents), at most 1000000000000000.
             * @default 0
             * @example 1500
             */
            pricePerGB: number;
            /**
             * @description Price per minute of session time. Integer minor units (e.g. cents), at most 1000000000000000.
             * @default 0
             * @example 1500
             */
            pricePerMinute: number;
            /**
             * @description Upload rate limit in kbit/s; 0 = no limit.
             * @default 0
             */
            upKbps: number;
        };
        TariffPage: {
            items: components["schemas"]["Tariff"][];
            limit: number;
            offset: number;
            total: number;
        };
        /** @description Any subset of the fields; null clears a nullable one. */
        TariffPatch: {
            /** @description Download rate limit in kbit/s; 0 = no limit. */
            downKbps?: number;
            /** @description Bytes per calendar month included in the fee. */
            includedBytes?: number;
            /**
             * @description Subscription fee per calendar month, charged daily. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            monthlyFee?: number;
            /**
             * @description Unique tariff name.
             * @example Home 100
             */
            name?: string;
            /**
             * @description Price per 10^9 bytes beyond includedBytes in a calendar month. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            pricePerGB?: number;
            /**
             * @description Price per minute of session time. Integer minor units (e.g. cents), at most 1000000000000000.
             * @example 1500
             */
            pricePerMinute?: number;
            /** @description Upload rate limit in kbit/s; 0 = no limit. */
            upKbps?: number;
        };
        TotpConfirm: {
            /**
             * @description A code the authenticator app shows for the new secret.
             * @example 123456
             */
            code: string;
        };
        TotpDisable: {
            /** @description The password, to confirm. */
            password: string;
        };
        TotpEnrolment: {
            /** @description Base32, for typing into an authenticator app. */
            secret: string;
            /** @description otpauth://totp/… for a QR code. */
            uri: string;
        };
        Trace: {
            /** Format: date-time */
            createdAt: string;
            /** @description Events left out so far: over the per-trace rate, or for a stream that did not read. */
            dropped: number;
            /** @description Packet events delivered so far (0 for a trace of another instance). */
            events: number;
            /** Format: date-time */
            expiresAt: string;
            /** @description Exactly one of username, nas (a client name) or address (a NAS source address). */
            filter: {
                address?: string;
                nas?: string;
                username?: string;
            };
            id: number;
            /** @description False for a trace started on another instance: its events are read there. */
            local: boolean;
            /** @description The login of the operator who started it. */
            owner: string;
        };
        /** @description Exactly one of username and nas. */
        TraceCreate: {
            /**
             * @description How long the trace runs, 1–30 minutes (default 5).
             * @default 5
             */
            minutes: number;
            /**
             * @description Trace this NAS: its client name, or its source address (IPv4 or IPv6). Give this or username.
             * @example bras-1
             */
            nas?: string;
            /**
             * @description Trace this RADIUS User-Name (matched exactly). Give this or nas.
             * @example alice@isp
             */
            username?: string;
        };
        /** @description One `data:` line of the event stream (domain/trace.ts TraceStreamEvent). */
        TraceEvent: {
            /** Format: date-time */
            at: string;
            attributes: {
                name: string;
                /** @description As text; secrets as "[hidden N bytes]". */
                value: string;
                vendor?: string;
            }[];
            /** @description address:port ([v6]:port). */
            client: string;
            /** @description Access-Request, Access-Accept, Accounting-Request… */
            code: string;
            /** @enum {string} */
            direction: "in" | "out";
            /** @description The drop reason of a request refused before any handler (tollgate_radius_dropped_total reason). */
            dropped?: string;
            identifier: number;
            length: number;
            /** @description The client entry; null for an address no entry covers. */
            nas: string | null;
            /**
             * @description A reply sent again from the reply cache.
             * @constant
             */
            replayed?: true;
            /** @description host/pid of the process that saw it. */
            seenBy?: string;
            trace: number;
            /** @constant */
            type: "packet";
        } | {
            dropped: number;
            trace: number;
            /** @constant */
            type: "dropped";
        } | {
            /** @enum {string} */
            reason: "expired" | "deleted" | "shutdown";
            trace: number;
            /** @constant */
            type: "end";
        };
        TraceList: {
            items: components["schemas"]["Trace"][];
        };
        VendorProfile: {
            /** @description Attribute name (Name:tag for a tagged one) → value template, or a list of them. */
            accept: Record<string, never>;
            /** @description Attribute name (Name:tag for a tagged one) → value template, or a list of them. */
            coaRestore: Record<string, never>;
            /** @description Attribute name (Name:tag for a tagged one) → value template, or a list of them. */
            coaRestrict: Record<string, never>;
            disconnectOnRestore: boolean;
            /** @description Attribute name (Name:tag for a tagged one) → value template, or a list of them. */
            rateChange: Record<string, never>;
            /**
             * @description How a live session gets a new speed: the rateChange CoA, or a Disconnect (it reconnects).
             * @enum {string}
             */
            rateChangeBy: "coa" | "disconnect";
            redirect: {
                /** @description Attribute name (Name:tag for a tagged one) → value template, or a list of them. */
                attributes: Record<string, never>;
                /** @enum {string} */
                code: "Access-Accept" | "Access-Reject";
            };
            /** @description The profile's constants. */
            vars: Record<string, never>;
            /** @enum {string} */
            vendor: "generic" | "mikrotik" | "accel-ppp" | "cisco" | "juniper" | "huawei" | "ericsson" | "vasexperts";
        };
        VendorProfileList: {
            items: components["schemas"]["VendorProfile"][];
        };
        /** @description A bearer token for the subscriber's billing widget on the portal listener. */
        WidgetToken: {
            /**
             * Format: date-time
             * @description When it stops working (UTC).
             */
            expiresAt: string;
            /**
             * @description Embeddable HTML fragment, on the portal listener.
             * @example /widget/v1/fragment
             */
            fragmentPath: string;
            subscriberId: number;
            /**
             * @description JSON summary, on the portal listener.
             * @example /widget/v1/summary
             */
            summaryPath: string;
            /** @description Pass as ?token= or Authorization: Bearer. Treat it like a password of the subscriber. */
            token: string;
        };
        /** @description Every field is optional; an empty body gets the configured lifetime. */
        WidgetTokenCreate: {
            /**
             * @description Lifetime in seconds (60 up to portal.widgetTokenTtlSeconds, which is also the default).
             * @example 3600
             */
            ttlSeconds?: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    listHeldAccounting: {
        parameters: {
            query?: {
                /** @description Only records with a larger id: the nextAfter of the previous page. */
                after?: number;
                /** @description Most records to return. */
                limit?: number;
                /** @description Only records in this state (held: waiting for a decision). */
                state?: "held" | "approved" | "discarded";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of held records, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeldAccountingPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHeldAccounting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeldAccounting"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    approveHeldAccounting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["HeldDecision"];
            };
        };
        responses: {
            /** @description The record, now approved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeldAccounting"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    discardHeldAccounting: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["HeldDecision"];
            };
        };
        responses: {
            /** @description The record, now discarded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeldAccounting"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAccount: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of accounts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccountCreate"];
            };
        };
        responses: {
            /** @description The created account; Location names it */
            201: {
                headers: {
                    /** @description The path of the new resource. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409); AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccountPatch"];
            };
        };
        responses: {
            /** @description The account after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409); AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAccountAdjustments: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of adjustments, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdjustmentPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAccountCharges: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of charges, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChargePage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAccountCredits: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of credits, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    grantAccountCredit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreditCreate"];
            };
        };
        responses: {
            /** @description The credit; the account's state is re-derived */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Credit"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAccountPayments: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of payments, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAccountStatement: {
        parameters: {
            query?: {
                /** @description First day (inclusive), a day of the fee time zone; default the first of the current month. */
                from?: string;
                /** @description Last day (inclusive); default today. At most 366 days after from. */
                to?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statement */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DailyStatement"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportAccountStatement: {
        parameters: {
            query?: {
                /** @description csv (RFC 4180, a header row, amounts as decimal text in the currency’s minor digits) or pdf (a printable statement). */
                format?: "csv" | "pdf";
                /** @description First day (inclusive), a day of the fee time zone; default the first of the current month. */
                from?: string;
                /** @description Last day (inclusive); default today. At most 366 days after from. */
                to?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statement as an attachment (Content-Disposition names the file). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                    "text/csv": string;
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAdjustment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdjustmentCreate"];
            };
        };
        responses: {
            /** @description The adjustment, applied to the balance */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Adjustment"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409); AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                /** @description Only entries of this action, e.g. subscriber.update. */
                action?: string;
                /** @description An entry id (nextBefore of the previous page): only older entries. */
                before?: number;
                /** @description Entries at or after this instant. */
                from?: string;
                /** @description Page size. */
                limit?: number;
                /** @description Only entries made by this operator (id). */
                operator?: number;
                /** @description Only entries about this target, e.g. subscriber:42. */
                target?: string;
                /** @description Entries before this instant. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuthLog: {
        parameters: {
            query?: {
                /** @description Only entries older than this (the nextBefore of the previous page); alone, strictly older. */
                before?: string;
                /** @description With before: only entries after (before, beforeId) newest first (the nextBeforeId of the previous page). */
                beforeId?: number;
                /** @description Most entries to return. */
                limit?: number;
                /** @description Only entries for this exact username. */
                username?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Entries, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthLogPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Login"];
            };
        };
        responses: {
            /** @description Signed in; Set-Cookie carries the session (HttpOnly, SameSite=Strict) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TOO_MANY_REQUESTS: too many failed sign-ins for this login or from this address, or the operator already holds as many live streams or traces as one may; Retry-After says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session has ended; the cookie is cleared */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changeOwnPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description Changed; every other session of the operator has ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TOO_MANY_REQUESTS: too many failed sign-ins for this login or from this address, or the operator already holds as many live streams or traces as one may; Retry-After says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    beginTotpEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret and its otpauth:// URI (shown once) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpEnrolment"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    removeTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpDisable"];
            };
        };
        responses: {
            /** @description Removed: sign-in needs the password only */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TOO_MANY_REQUESTS: too many failed sign-ins for this login or from this address, or the operator already holds as many live streams or traces as one may; Retry-After says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    confirmTotpEnrolment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpConfirm"];
            };
        };
        responses: {
            /** @description The operator, totpEnabled true */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDashboard: {
        parameters: {
            query?: {
                /** @description Start of the range (inclusive); default one hour before to. */
                from?: string;
                /** @description End of the range (exclusive); default now. At most 31 days after from. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dashboard"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamDashboard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: `event: figures` with a DashboardLive as data every 2 s, a `: heartbeat` comment every 10 s, `event: error` when a read failed (the stream goes on). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TOO_MANY_REQUESTS: too many failed sign-ins for this login or from this address, or the operator already holds as many live streams or traces as one may; Retry-After says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNas: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of NAS clients */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NasPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createNas: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["NasCreate"];
            };
        };
        responses: {
            /** @description The created NAS client; Location names it */
            201: {
                headers: {
                    /** @description The path of the new resource. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Nas"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listNasStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Database rows first (by id), then config-file clients */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NasStatusList"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getNas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The NAS client */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Nas"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteNas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateNas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["NasPatch"];
            };
        };
        responses: {
            /** @description The NAS client after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Nas"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOperators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every operator, by id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorList"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createOperator: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorCreate"];
            };
        };
        responses: {
            /** @description The operator; Location names it */
            201: {
                headers: {
                    /** @description The path of the new resource. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOperator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operator */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateOperator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorPatch"];
            };
        };
        responses: {
            /** @description The operator after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Operator"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resetOperatorPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorPasswordReset"];
            };
        };
        responses: {
            /** @description Set; every session of the operator has ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPayment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentCreate"];
            };
        };
        responses: {
            /** @description A redelivery: the payment with this externalId, applied before; nothing changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            /** @description The payment, applied to the balance now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409); AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    search: {
        parameters: {
            query?: {
                /** @description Most subscribers to return. */
                limit?: number;
                /** @description Required. What was typed: a login prefix, an IP address, a MAC address (any common spelling), a subscriber id or an account id. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscribers found, best key first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResult"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description Only sessions charged to this account. */
                accountId?: number;
                /** @description true: open sessions only; false: stopped sessions only; absent: both. */
                active?: boolean;
                /** @description With ip: the instant (ISO-8601 with a zone). Session start and stop are inclusive; an open session has no end. */
                at?: string;
                /** @description With at: the sessions that held this Framed-IP-Address at that instant. Not combinable with active, username, accountId. */
                ip?: string;
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
                /** @description Only sessions of this exact username. */
                username?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    disconnectSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The NAS acknowledged (Disconnect-ACK); its Accounting Stop closes the session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DisconnectResult"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description COA_FAILED: the NAS refused the Disconnect-Request (nak) or did not answer it (timeout); the body also carries result, errorCause and attempts */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DisconnectFailure"];
                };
            };
            /** @description COA_UNAVAILABLE: a Disconnect-Request cannot be sent: this instance has no CoA client, or the session's NAS is not in the nas table (or is a network, not one address); UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportSessions: {
        parameters: {
            query?: {
                /** @description csv (RFC 4180, header row, CRLF) or json (an array). */
                format?: "csv" | "json";
                /** @description Required. Start of the range (inclusive), ISO-8601 with a zone. Sessions still open at this instant are included. */
                from?: string;
                /** @description Only sessions that held this Framed-IP-Address. */
                ip?: string;
                /** @description Required. End of the range (exclusive), ISO-8601 with a zone; after from. */
                to?: string;
                /** @description Only sessions of this exact username. */
                username?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every matching session, oldest start first. CSV: a header row then one row per session (RFC 4180). JSON: an array of ExportedSession. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportedSession"][];
                    "text/csv": string;
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSubscriber: {
        parameters: {
            query?: {
                /** @description Only the subscribers of this account. */
                accountId?: number;
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
                /** @description Only the subscriber with this exact username. */
                username?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of subscribers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriberPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createSubscriber: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriberCreate"];
            };
        };
        responses: {
            /** @description The created subscriber; Location names it */
            201: {
                headers: {
                    /** @description The path of the new resource. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscriber"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSubscriber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscriber */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscriber"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSubscriber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateSubscriber: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriberPatch"];
            };
        };
        responses: {
            /** @description The subscriber after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscriber"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSubscriberOverview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The overview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriberOverview"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewSubscriberReply: {
        parameters: {
            query?: {
                /** @description Required. The NAS: a nas row id, or the name of a row or of a config-file client. */
                nas?: string;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The decision and the attributes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplyPreview"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelScheduledTariffChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled: the subscriber stays on its tariff */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createSubscriberWidgetToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetTokenCreate"];
            };
        };
        responses: {
            /** @description A new token; earlier ones stay valid until they expire */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetToken"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTariff: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: number;
                /** @description Items to skip. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tariffs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TariffPage"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTariff: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["TariffCreate"];
            };
        };
        responses: {
            /** @description The created tariff; Location names it */
            201: {
                headers: {
                    /** @description The path of the new resource. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tariff"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409); AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTariff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tariff */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tariff"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTariff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateTariff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["TariffPatch"];
            };
        };
        responses: {
            /** @description The tariff after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tariff"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CONFLICT: a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description REFERENCE: a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409); AMOUNT_OUT_OF_RANGE: a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: {
                /** @description An operator's id: that operator's tokens (someone else's need operators:manage). */
                operator?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens, newest first, without their secrets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorTokenList"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["OperatorTokenCreate"];
            };
        };
        responses: {
            /** @description The token, with its text (tg_<id>_<secret>) this once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperatorTokenCreated"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (it fails from now on) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTraces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every active trace, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TraceList"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startTrace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 1048576 bytes. Unknown fields are refused. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["TraceCreate"];
            };
        };
        responses: {
            /** @description The trace, running; read its events at /api/v1/traces/{id}/events */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Trace"];
                };
            };
            /** @description VALIDATION_FAILED: a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all; MALFORMED_JSON: the request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BODY_TOO_LARGE: the request body exceeds 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a request body was sent without Content-Type: application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TOO_MANY_REQUESTS: too many failed sign-ins for this login or from this address, or the operator already holds as many live streams or traces as one may; Retry-After says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTrace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The trace */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Trace"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    stopTrace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions); CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    traceEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: each event one `data:` line of JSON — {type:"packet",…} (a request, reply or dropped packet), {type:"dropped",dropped} (events left out so far), {type:"end",reason} (expired, deleted, shutdown; the stream then closes). The recent events of the trace come first. A comment line every 15 s keeps the connection open. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no route for the path, or no resource with the id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TOO_MANY_REQUESTS: too many failed sign-ins for this login or from this address, or the operator already holds as many live streams or traces as one may; Retry-After says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listVendorProfiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profiles, one per vendor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VendorProfileList"];
                };
            };
            /** @description UNAUTHORIZED: no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor */
            401: {
                headers: {
                    "WWW-Authenticate"?: "Bearer";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description CSRF_FAILED: an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one; FORBIDDEN: the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INTERNAL: an unexpected failure; the message is generic and the cause is logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNAVAILABLE: the database is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
