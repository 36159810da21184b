/**
 * The portal's messages in English and Russian, picked by Accept-Language (q-values honoured, English when
 * nothing matches). Messages are plain text; templates escape them like any other value.
 */

export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  title: 'Your Internet account',
  neutralTitle: 'Account page',
  neutralBody: 'This page shows the account of a subscriber connected through this network. No active connection was found for your address.',
  neutralHint: 'If you are a subscriber, connect through your Internet connection and open this page again.',
  whyHere: 'Why you see this page',
  reasonBlocked: 'Your Internet access is limited because the account balance is below the allowed limit. Pay to restore access.',
  reasonSuspended: 'Your subscription is suspended. Please contact support.',
  reasonDisabled: 'Your subscription is disabled. Please contact support.',
  reasonActive: 'Your account is active. If a site does not open, reconnect or restart your router.',
  blockedSince: 'Limited since',
  subscriber: 'Subscriber',
  account: 'Account',
  balance: 'Balance',
  creditLimit: 'Credit limit',
  temporaryCredit: 'Temporary credit',
  available: 'Available to spend',
  expires: 'until',
  tariff: 'Tariff',
  noTariff: 'No tariff',
  scheduledTariff: 'From {date}: {tariff}',
  monthlyFee: 'Monthly fee',
  speed: 'Speed',
  subscriptions: 'Subscriptions',
  since: 'since',
  endsOn: 'ends',
  noSubscriptions: 'No subscriptions.',
  chargesThisMonth: 'Charges this month',
  chargesLastMonth: 'Charges last month',
  noCharges: 'No charges.',
  date: 'Date',
  item: 'Item',
  amount: 'Amount',
  total: 'Total',
  moreRows: 'more rows not shown',
  kind_traffic: 'Traffic',
  kind_time: 'Connection time',
  kind_fee: 'Daily fee',
  kind_one_off: 'One-off charge',
  session: 'session',
  payments: 'Payments',
  noPayments: 'No payments yet.',
  adjustments: 'Corrections',
  howToPay: 'How to pay',
  payNow: 'Pay now',
  promisedTitle: 'Promised payment',
  promisedOffer: 'Get {amount} of credit for {days} days and restore access now; pay before it expires.',
  promisedButton: 'Restore access now',
  promisedGranted: 'Done: {amount} of credit until {until}. Your connection is being restored; reopen the page you wanted in a few seconds.',
  promisedTooSoon: 'A promised payment was already used recently. The next one is possible after {date}.',
  promisedNotNeeded: 'Your account is not blocked: a promised payment is not needed.',
  promisedNotEnough: 'The debt is larger than a promised payment can cover. Please pay to restore access.',
  promisedUnavailable: 'A promised payment is not available for this account.',
  promisedFailed: 'The promised payment could not be granted right now. Please try again in a minute.',
  badToken: 'The form has expired or was not sent from this page. Reload the page and try again.',
  tooManyRequests: 'Too many requests from your address. Please wait a little and try again.',
  notFound: 'There is no such page.',
  errorTitle: 'Something went wrong',
  errorBody: 'The page could not be shown right now. Please try again in a minute.',
  support: 'Support',
  back: 'Back to the account page',
  widgetUnauthorized: 'The widget link has expired or is not valid.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = { readonly [K in MessageKey]: string };

const ru: Catalogue = {
  title: 'Ваш интернет-счёт',
  neutralTitle: 'Личный кабинет',
  neutralBody: 'Эта страница показывает счёт абонента, подключённого через эту сеть. Для вашего адреса активное подключение не найдено.',
  neutralHint: 'Если вы абонент, откройте страницу через своё подключение к интернету.',
  whyHere: 'Почему вы видите эту страницу',
  reasonBlocked: 'Доступ в интернет ограничен: баланс ниже допустимого. Пополните счёт, чтобы восстановить доступ.',
  reasonSuspended: 'Ваша подписка приостановлена. Обратитесь в службу поддержки.',
  reasonDisabled: 'Ваша подписка отключена. Обратитесь в службу поддержки.',
  reasonActive: 'Ваш счёт активен. Если сайт не открывается, переподключитесь или перезагрузите роутер.',
  blockedSince: 'Ограничен с',
  subscriber: 'Абонент',
  account: 'Лицевой счёт',
  balance: 'Баланс',
  creditLimit: 'Кредитный лимит',
  temporaryCredit: 'Временный кредит',
  available: 'Доступно',
  expires: 'до',
  tariff: 'Тариф',
  noTariff: 'Тариф не назначен',
  scheduledTariff: 'С {date}: {tariff}',
  monthlyFee: 'Абонентская плата',
  speed: 'Скорость',
  subscriptions: 'Подписки',
  since: 'с',
  endsOn: 'по',
  noSubscriptions: 'Подписок нет.',
  chargesThisMonth: 'Списания в этом месяце',
  chargesLastMonth: 'Списания в прошлом месяце',
  noCharges: 'Списаний нет.',
  date: 'Дата',
  item: 'Статья',
  amount: 'Сумма',
  total: 'Итого',
  moreRows: 'строк не показано',
  kind_traffic: 'Трафик',
  kind_time: 'Время подключения',
  kind_fee: 'Абонентская плата за день',
  kind_one_off: 'Разовое списание',
  session: 'сессия',
  payments: 'Платежи',
  noPayments: 'Платежей пока нет.',
  adjustments: 'Корректировки',
  howToPay: 'Как оплатить',
  payNow: 'Оплатить',
  promisedTitle: 'Обещанный платёж',
  promisedOffer: 'Получите кредит {amount} на {days} дн. и сразу восстановите доступ; оплатите до окончания срока.',
  promisedButton: 'Восстановить доступ сейчас',
  promisedGranted: 'Готово: кредит {amount} до {until}. Подключение восстанавливается; через несколько секунд откройте нужную страницу снова.',
  promisedTooSoon: 'Обещанный платёж уже использовался недавно. Следующий возможен после {date}.',
  promisedNotNeeded: 'Ваш счёт не заблокирован: обещанный платёж не нужен.',
  promisedNotEnough: 'Долг больше суммы обещанного платежа. Пополните счёт, чтобы восстановить доступ.',
  promisedUnavailable: 'Обещанный платёж для этого счёта недоступен.',
  promisedFailed: 'Не удалось предоставить обещанный платёж. Попробуйте через минуту.',
  badToken: 'Форма устарела или отправлена не с этой страницы. Обновите страницу и попробуйте снова.',
  tooManyRequests: 'Слишком много запросов с вашего адреса. Подождите немного и попробуйте снова.',
  notFound: 'Такой страницы нет.',
  errorTitle: 'Что-то пошло не так',
  errorBody: 'Страницу сейчас не удалось показать. Попробуйте через минуту.',
  support: 'Поддержка',
  back: 'Вернуться в личный кабинет',
  widgetUnauthorized: 'Ссылка виджета устарела или недействительна.',
};

const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, ru };

/** The best supported locale for an Accept-Language header (RFC 9110 §12.5.4), English by default. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  let best: Locale = 'en';
  let bestQ = 0;
  for (const item of acceptLanguage.split(',').slice(0, 20)) {
    const [tag = '', ...params] = item.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    const locale = (LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : undefined;
    if (locale && q > bestQ) {
      best = locale;
      bestQ = q;
    }
  }
  return best;
}

/** The message `key` in `locale`, with `{name}` placeholders filled from `vars`. */
export function t(locale: Locale, key: MessageKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return CATALOGUES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
