/** GS1 mod-10 check digit over a digit string (GTIN, SSCC). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** An 18-digit SSCC: extension digit, company prefix, serial, check digit. */
export function sscc(companyPrefix: string, serial: number): string {
  const body = `0${companyPrefix}${String(serial).padStart(16 - companyPrefix.length, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
}
