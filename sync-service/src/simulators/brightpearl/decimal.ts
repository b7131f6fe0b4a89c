/**
 * Order money and quantities as Brightpearl sends them: decimal strings with up to 4 places
 * (`"9.0909"`, `"1.0000"`). Held as integer units of 0.0001 so sums are exact.
 */
export const UNITS = 10_000;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string or JSON number with at most `maxPlaces` significant decimal places, in units;
 * undefined when it is not one. Trailing zeros beyond `maxPlaces` are fine (`"1.000000"`).
 */
export function parseUnits(value: unknown, maxPlaces = 4): number | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // Round-trips short decimals (28, 28.5, 0.8333); rejects what JSON numbers cannot say exactly.
    text = String(value);
    if (/e/i.test(text)) return undefined;
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  if (fraction.length > maxPlaces && /[^0]/.test(fraction.slice(maxPlaces))) return undefined;
  const units = Number(m[2]) * UNITS + Number(`${fraction}0000`.slice(0, 4));
  if (!Number.isSafeInteger(units)) return undefined;
  return m[1] && units !== 0 ? -units : units;
}

/** Units → `"12.3400"` (4 places) or `"12.34"` (2 places, rounded half away from zero). */
export function formatUnits(units: number, places: 2 | 4 = 4): string {
  const negative = units < 0;
  let abs = Math.abs(units);
  if (places === 2) abs = Math.round(abs / 100) * 100;
  const whole = Math.floor(abs / UNITS);
  const fraction = String(abs % UNITS)
    .padStart(4, '0')
    .slice(0, places);
  return `${negative && abs !== 0 ? '-' : ''}${whole}.${fraction}`;
}

export function unitsToNumber(units: number): number {
  return units / UNITS;
}

export function isWholeUnits(units: number): boolean {
  return units % UNITS === 0;
}
