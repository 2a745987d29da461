/**
 * A student's game session: what is saved (after every decision) and how a saved session is read
 * back. Only decisions are saved; every number is re-derived by replaying them, so a saved game can
 * never disagree with the simulation. Saved data carries a version and is migrated forward.
 */
import { z } from 'zod';
import { planSchema } from '../packs/planSchema';
import type { PlainDecisions } from '../sim';

export const SESSION_VERSION = 1;
export const SESSION_STORAGE_KEY = 'tracks-and-targets.session';

export const PHASES = ['briefing', 'collect', 'segment', 'serve', 'results', 'debrief', 'final'] as const;
export type Phase = (typeof PHASES)[number];

const decisions = planSchema.shape.rounds.element;

export const savedSessionSchema = z.strictObject({
  version: z.literal(SESSION_VERSION),
  pack: z.strictObject({ id: z.string(), version: z.string(), hash: z.string(), builtIn: z.boolean() }),
  seed: z.number().int().min(0).max(0xffffffff),
  listeners: z.number().int().min(100).max(1_000_000),
  classCode: z.string().max(40).nullable(),
  nickname: z.string().min(1).max(40),
  /** Decisions of the rounds already played (quiz answers included once given). */
  rounds: z.array(decisions).max(12),
  /** The current round's decisions so far. */
  draft: decisions,
  phase: z.enum(PHASES),
  startedAt: z.string(),
  updatedAt: z.string(),
});

export type SavedSession = Omit<z.output<typeof savedSessionSchema>, 'rounds' | 'draft'> & {
  rounds: Partial<PlainDecisions>[];
  draft: Partial<PlainDecisions>;
};

/**
 * Migrations, oldest first: entry k turns version k + 1 into version k + 2. Add one whenever
 * SavedSession changes shape, and bump SESSION_VERSION.
 */
const MIGRATIONS: ((old: Record<string, unknown>) => Record<string, unknown>)[] = [];

export type ReadResult = { status: 'none' } | { status: 'ok'; session: SavedSession } | { status: 'unreadable'; reason: string };

/** Reads a saved session from storage text: migrated forward, validated, or explained. */
export function readSavedSession(text: string | null): ReadResult {
  if (text === null || text === '') return { status: 'none' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { status: 'unreadable', reason: 'not valid JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { status: 'unreadable', reason: 'not a saved game' };
  let data = raw as Record<string, unknown>;
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { status: 'unreadable', reason: 'no version' };
  if (version > SESSION_VERSION) return { status: 'unreadable', reason: `saved by a newer version of the game (format ${version})` };
  for (let v = version; v < SESSION_VERSION; v++) data = MIGRATIONS[v - 1]!(data);
  const parsed = savedSessionSchema.safeParse(data);
  if (!parsed.success) return { status: 'unreadable', reason: parsed.error.issues[0]?.message ?? 'invalid' };
  return { status: 'ok', session: parsed.data };
}

export function writeSavedSession(session: SavedSession): string {
  return JSON.stringify(session);
}
