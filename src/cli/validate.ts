/** `npm run lessons:validate`: checks lesson packs (folders, .zip files or pack.json files). */
import { problemLine } from '../packs/problems';
import { readPackSource } from '../packs/packFiles';
import { isMain, packSource, parseCliArgs, runCli, UsageError } from './cliSupport';

const HELP = `
Validates lesson packs: the schema, references between parts, quiz answers, images, every text in
every declared locale, and a seeded smoke game of every round with an empty and a full plan.

Usage:
  npm run lessons:validate -- <folder|pack.zip|pack.json> [more packs…]

Prints one line per problem (file: JSON path: what is wrong and what is allowed) and exits 1 if any
pack is invalid, 0 when all are valid.
`;

if (isMain(import.meta.url))
  runCli(() => {
    const { positionals } = parseCliArgs({}, HELP);
    if (positionals.length === 0) throw new UsageError(['Give at least one pack to validate.', '', HELP.trim()]);
    let invalid = 0;
    for (const path of positionals) {
      let problems;
      try {
        const result = readPackSource(packSource(path));
        problems = result.problems.map(problemLine);
        if (result.loaded) {
          const { pack } = result.loaded;
          process.stdout.write(`ok ${path}: ${pack.id} ${pack.version}, ${pack.scenario.rounds.length} rounds, locales ${pack.locales.join(', ')}\n`);
        }
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        problems = e.lines;
      }
      if (problems.length > 0) {
        invalid++;
        for (const line of problems) process.stdout.write(`${line}\n`);
      }
    }
    if (invalid > 0) {
      process.stdout.write(`${invalid} of ${positionals.length} pack(s) invalid\n`);
      process.exitCode = 1;
    }
  });
