/** A validated pack, ready to play. */
import type { Scenario } from '../sim';
import type { Pack } from './packSchema';

export interface LoadedPack {
  pack: Pack;
  scenario: Scenario;
  /** Hash of the pack.json content, carried by replay logs and score files. */
  hash: string;
}
