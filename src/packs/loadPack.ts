/** A validated pack, ready to play. */
import type { Scenario } from '../sim';
import type { Pack } from './packSchema';

export interface LoadedPack {
  pack: Pack;
  scenario: Scenario;
  /** Hash of the pack.json content, carried by replay logs and score files. */
  hash: string;
  /** The pack's checked images by path ("images/street.png"), with their MIME type. */
  images?: Map<string, { type: string; bytes: Uint8Array }>;
}
