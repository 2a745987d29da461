/** `npm run schema`: writes the JSON Schemas of pack, plan and score files into public/ (for editor help). */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { packSchema } from '../packs/packSchema';
import { planSchema } from '../packs/planSchema';
import { scoreFileSchema } from '../scores/scoreFile';
import { isMain, parseCliArgs, runCli } from './cliSupport';

const HELP = `
Writes public/pack.schema.json, plan.schema.json and score.schema.json from the zod definitions,
so a pack or plan file can name its schema in "$schema" and get autocompletion and checks in
editors, and tools that read score files know their shape.

Usage:
  npm run schema [-- --check]

  --check   do not write; exit 1 if a committed schema is out of date
`;

export const SCHEMAS: { file: string; title: string; schema: z.ZodType }[] = [
  { file: 'public/pack.schema.json', title: 'Tracks & Targets lesson pack', schema: packSchema },
  { file: 'public/plan.schema.json', title: 'Tracks & Targets plan (decisions per round)', schema: planSchema },
  { file: 'public/score.schema.json', title: 'Tracks & Targets score file', schema: scoreFileSchema },
];

export function schemaText(title: string, schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}

if (isMain(import.meta.url))
  runCli(() => {
    const { values } = parseCliArgs({ check: { type: 'boolean' } }, HELP);
    let stale = 0;
    for (const { file, title, schema } of SCHEMAS) {
      const text = schemaText(title, schema);
      if (values.check) {
        let current = '';
        try {
          current = readFileSync(file, 'utf8');
        } catch {
          /* missing counts as stale */
        }
        if (current !== text) {
          process.stderr.write(`${file} is out of date; run: npm run schema\n`);
          stale++;
        }
      } else {
        writeFileSync(file, text);
        process.stdout.write(`wrote ${file}\n`);
      }
    }
    if (stale) process.exitCode = 1;
  });
