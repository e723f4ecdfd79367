// Drive the reference TypeScript age implementation (npm "age-encryption")
// from tests/test_age_interop.py. Plaintext and ciphertext go through
// stdin/stdout; keys and passphrases come from environment variables so they
// never appear in a process listing.
//
//   node age.mjs keygen [--x25519]     -> stdout: identity line, recipient line
//   node age.mjs encrypt [--armor]     env AGE_RECIPIENTS (newline-separated) or
//                                      AGE_PASSPHRASE (+ AGE_WORK_FACTOR)
//   node age.mjs decrypt [--armor]     env AGE_IDENTITIES (newline-separated) or
//                                      AGE_PASSPHRASE
//
// Errors: message on stderr, exit code 1.
import * as age from "age-encryption";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

function lines(name) {
  return (process.env[name] || "").split("\n").map((s) => s.trim()).filter(Boolean);
}

async function main() {
  const [cmd, ...flags] = process.argv.slice(2);
  const armor = flags.includes("--armor");
  if (cmd === "keygen") {
    const id = flags.includes("--x25519")
      ? await age.generateX25519Identity()
      : await age.generateHybridIdentity();
    process.stdout.write(`${id}\n${await age.identityToRecipient(id)}\n`);
  } else if (cmd === "encrypt") {
    const e = new age.Encrypter();
    if (process.env.AGE_PASSPHRASE) {
      e.setPassphrase(process.env.AGE_PASSPHRASE);
      if (process.env.AGE_WORK_FACTOR) e.setScryptWorkFactor(Number(process.env.AGE_WORK_FACTOR));
    }
    for (const r of lines("AGE_RECIPIENTS")) e.addRecipient(r);
    const out = await e.encrypt(await readStdin());
    process.stdout.write(armor ? age.armor.encode(out) : out);
  } else if (cmd === "decrypt") {
    const d = new age.Decrypter();
    if (process.env.AGE_PASSPHRASE) d.addPassphrase(process.env.AGE_PASSPHRASE);
    for (const i of lines("AGE_IDENTITIES")) d.addIdentity(i);
    let input = await readStdin();
    if (armor) input = age.armor.decode(new TextDecoder().decode(input));
    process.stdout.write(await d.decrypt(input));
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
}

main().catch((err) => {
  process.stderr.write(`age.mjs: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
