// The layering of README.md ("Layering"), checked by dependency-cruiser in `npm test`: each rule names a layer and
// the project folders it must not import. Tests obey the same rules as the code beside them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'qmp-imports-nothing-of-the-project',
      comment: 'qmp/ is the shared vocabulary every layer speaks: it depends on no layer',
      severity: 'error',
      from: { path: '^qmp/' },
      to: { path: '^(impl|model|qemu|properties|show|export|cli|bench|bin)/' },
    },
    {
      name: 'impl-imports-only-qmp',
      comment: 'impl/ is QEMU 7.2 as observed: it must not lean on the model, the checker or real QEMU',
      severity: 'error',
      from: { path: '^impl/' },
      to: { path: '^(model|qemu|properties|show|export|cli|bench|bin)/' },
    },
    {
      name: 'model-imports-only-qmp',
      comment: 'model/ states intended behaviour independently: never from the impl it is compared with',
      severity: 'error',
      from: { path: '^model/' },
      to: { path: '^(impl|qemu|properties|show|export|cli|bench|bin)/' },
    },
    {
      name: 'qemu-imports-only-qmp',
      comment: 'qemu/ drives real QEMU: a target beside the impl and the model, not built on them',
      severity: 'error',
      from: { path: '^qemu/' },
      to: { path: '^(impl|model|properties|show|export|cli|bench|bin)/' },
    },
    {
      name: 'properties-below-the-commands',
      comment: 'properties/ (the checker) uses the targets and the vocabulary; the commands (show, export, bench, cli) use it, not the reverse',
      severity: 'error',
      from: { path: '^properties/' },
      to: { path: '^(show|export|cli|bench|bin)/' },
    },
    {
      name: 'show-below-the-cli',
      comment: 'show/ draws what the checker and the targets give; export/ and `bgcheck show` (cli/) use it',
      severity: 'error',
      from: { path: '^show/' },
      to: { path: '^(export|cli|bench|bin)/' },
    },
    {
      name: 'export-below-the-cli',
      comment: 'export/ writes fixtures out for other tools; `bgcheck export` (cli/) runs it',
      severity: 'error',
      from: { path: '^export/' },
      to: { path: '^(cli|bench|bin)/' },
    },
    {
      name: 'bench-below-the-cli',
      comment: 'bench/ measures the checker; `bgcheck bench` (cli/) runs it',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^(show|export|cli|bin)/' },
    },
    {
      name: 'no-runtime-cycles',
      comment: 'modules that need each other at run time cannot be read (or loaded) one at a time; type-only cycles are fine',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'an import that resolves to nothing hides a dependency from every rule above',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // `import type` counts: a type from another layer is a dependency on it all the same
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
    // package.json `exports` maps (tsx/esm/api), resolved as Node resolves them
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
