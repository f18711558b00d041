import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { migrateLatest, type Db } from '../../db/knex';
import { AppError } from '../../errors';
import { createAuditService } from '../../audit/audit.service';
import { createAccountService } from '../../staff/accounts.service';
import { isRole } from '../../staff/roles';
import { fieldErrors } from '../../http/validate';
import { newUserSchema, staffMessages } from '../../staff/staff.schema';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for the password on the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let asked = false;
  output._writeToOutput = (s: string) => {
    if (!asked) {
      output.output.write(s);
      asked = true;
    }
  };
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

/** `user:add --email E --name N --role agent|editor|supervisor|admin [--password-stdin]`. */
export async function userAdd(db: Db, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'agent' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  // Before the password is asked for: a role that does not exist is refused at once.
  if (!isRole(values.role)) {
    process.stderr.write(`--role: "${values.role}" is not a role. ${staffMessages.role?.invalid ?? ''}\n`);
    return 2;
  }
  let password: string;
  if (values['password-stdin']) password = await readStdin();
  else if (process.stdin.isTTY) password = await promptPassword('Password (at least 12 characters): ');
  else {
    process.stderr.write('No terminal to ask for the password: pass it on standard input with --password-stdin.\n');
    return 2;
  }
  const input = { email: values.email, name: values.name, role: values.role, password };
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    // The same plain messages as the form; the password itself is never printed.
    for (const { field, message } of fieldErrors(parsed.error.issues, staffMessages, input))
      process.stderr.write(`--${field}: ${message}\n`);
    return 2;
  }
  try {
    // Often the very first command on a new installation, before the server ever started: the
    // database is prepared first, as the server would at start.
    await migrateLatest(db);
    const id = await createAccountService({ db, audit: createAuditService(db) }).createUser('cli', parsed.data);
    process.stdout.write(`Added ${parsed.data.role} ${parsed.data.email} (id ${id}).\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
