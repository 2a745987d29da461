/** Validates a parsed pack.json and builds the simulation's scenario from it. */
import type { Scenario } from '../sim';
import { contentHash } from './contentHash';
import { packSchema, type Pack } from './packSchema';
import { zodProblems, type Problem } from './problems';
import { toScenario } from './scenarioSchema';

export interface LoadedPack {
  pack: Pack;
  scenario: Scenario;
  /** Hash of the pack.json content, carried by replay logs and score files. */
  hash: string;
}

export function loadPack(value: unknown, file: string): { ok: true; loaded: LoadedPack } | { ok: false; problems: Problem[] } {
  const parsed = packSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: zodProblems(file, packSchema, value, parsed.error) };
  const pack = parsed.data;
  return { ok: true, loaded: { pack, scenario: toScenario(pack.scenario), hash: contentHash(value) } };
}
