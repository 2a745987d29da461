/**
 * The classes an instructor set up in this browser (newest first), so the dashboard can offer
 * their codes. Only codes and labels: no student data is ever stored.
 */
export interface ClassRecord {
  code: string;
  packId: string;
  packTitle: string;
  createdAt: string;
}

const KEY = 'tracks-and-targets.classes.v1';
const MAX = 20;

export function recentClasses(): ClassRecord[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((c): c is ClassRecord => !!c && typeof c === 'object' && ['code', 'packId', 'packTitle', 'createdAt'].every((k) => typeof (c as Record<string, unknown>)[k] === 'string'));
  } catch {
    return [];
  }
}

export function rememberClass(record: ClassRecord): void {
  try {
    const list = [record, ...recentClasses().filter((c) => c.code !== record.code)].slice(0, MAX);
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or blocked: the class still works, it just isn't listed later.
  }
}

const EXPECTED_KEY = 'tracks-and-targets.dashboard.class';

/** The class the dashboard checks files against ('' for any class). */
export function expectedClass(): string {
  try {
    return localStorage.getItem(EXPECTED_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setExpectedClass(code: string | null): void {
  try {
    if (code) localStorage.setItem(EXPECTED_KEY, code);
    else localStorage.removeItem(EXPECTED_KEY);
  } catch {
    // Blocked storage: the dashboard just starts empty next time.
  }
}
