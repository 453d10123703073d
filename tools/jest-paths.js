// Maps the tsconfig.base.json path aliases (@lead-sla/*) for Jest.
const path = require('node:path');
const tsconfig = require('../tsconfig.base.json');

function pathsToModuleNameMapper() {
  const root = path.resolve(__dirname, '..');
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = path.join(root, target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
