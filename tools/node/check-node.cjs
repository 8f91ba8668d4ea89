// Stops `npm start` and friends at once on a Node older than the project's (package.json engines).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major !== 24 || minor < 15) {
  console.error(
    [
      `This project needs Node.js 24.15 or newer in the 24 line; this is Node ${process.versions.node}.`,
      'Get it with:   . tools/node/setup-node.sh',
      '  (installs Node 24 from the npm registry into ~/.cache/oneroster-node24 and puts it first on PATH),',
      'or with nvm:   nvm install && nvm use   (reads .nvmrc).',
    ].join('\n'),
  );
  process.exit(1);
}
