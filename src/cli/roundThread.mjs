// The round helper thread's entry when no bundle of its code can be made (see threadScript.ts):
// worker threads do not inherit tsx's loader (node --import tsx), so the thread registers it
// before loading the TypeScript module that does the work.
import { register } from 'tsx/esm/api';

register();
await import('./roundHelper.ts');
