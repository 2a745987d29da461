/** Numbers, money and percentages in the player's language (Intl). */
export interface Formats {
  int(x: number): string;
  money(x: number): string;
  /** Money with cents, for small unit prices. */
  cents(x: number): string;
  pct(x: number): string;
  dec1(x: number): string;
}

export function formatsFor(language: string): Formats {
  const int = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  const money = new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
  const cents = new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  const dec1 = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return { int: (x) => int.format(x), money: (x) => money.format(x), cents: (x) => cents.format(x), pct: (x) => pct.format(x), dec1: (x) => dec1.format(x) };
}
