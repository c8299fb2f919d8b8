// Writes one service's OpenAPI document, exactly as the running service serves it at /docs-json, without
// Postgres or Kafka: `node tools/client/openapi-document.cjs <service> <out.json>`.
//
// It runs the service's own apps/<service>/src/main.ts from source, compiled in memory by the TypeScript
// compiler exactly as `nx build` compiles it (a whole program, so decorator metadata of imported types is
// what production emits; a per-file transpiler such as SWC guesses `Object` for them and documents another
// schema). So the title, the module and the document options are the ones production uses. Two seams keep
// it offline: bootstrapService is swapped for createServiceApp, Nest builds the app in preview mode (the
// module graph without instantiating a provider, so nothing connects), and the build stops at the moment
// the finished document (shared problems added) is handed to SwaggerModule.setup, before the app would start its Kafka consumer or migrate its database.
// One process per service: prom-client and Nest keep process-wide state.
'use strict';
require('reflect-metadata');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');
const [service, outFile] = process.argv.slice(2);
if (!service || !outFile) {
  process.stderr.write('usage: node tools/client/openapi-document.cjs <service> <out.json>\n');
  process.exit(2);
}
const mainFile = path.join(root, 'apps', service, 'src', 'main.ts');

const tsconfig = path.join(root, 'apps', service, 'tsconfig.app.json');
const { options } = ts.parseJsonConfigFileContent(ts.readConfigFile(tsconfig, ts.sys.readFile).config, ts.sys, path.dirname(tsconfig));
const program = ts.createProgram([mainFile], { ...options, sourceMap: false, declaration: false, noEmit: false });
const compiled = new Map();
program.emit(undefined, (fileName, text, _bom, _onError, sources) => {
  if (fileName.endsWith('.js') && sources?.length === 1) compiled.set(path.resolve(sources[0].fileName), text);
});
require.extensions['.ts'] = (module, filename) => {
  const code = compiled.get(filename);
  if (code === undefined) throw new Error(`${filename} is not part of ${service}'s program`);
  module._compile(code, filename);
};

const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
const aliases = new Map(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

const { NestFactory } = require('@nestjs/core');
const { SwaggerModule } = require('@nestjs/swagger');

class DocumentBuilt extends Error {
  constructor(document) {
    super('document built');
    this.document = document;
  }
}
const create = NestFactory.create.bind(NestFactory);
NestFactory.create = (module, options) => create(module, { ...options, preview: true, logger: false, abortOnError: false });
SwaggerModule.setup = (_path, _app, document) => {
  throw new DocumentBuilt(document);
};

const platform = require('@recourse/platform');
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  const loaded = load.call(this, request, parent, ...rest);
  if (request !== '@recourse/platform' || parent?.filename !== mainFile) return loaded;
  return { ...loaded, bootstrapService: (options) => platform.createServiceApp(options).then(
    () => fail(new Error('createServiceApp finished without building its OpenAPI document')),
    (error) => (error instanceof DocumentBuilt ? write(error.document) : fail(error)),
  ) };
};

function write(document) {
  fs.writeFileSync(outFile, `${JSON.stringify(document, null, 2)}\n`);
  process.exit(0);
}

function fail(error) {
  process.stderr.write(`${service}: cannot build the OpenAPI document: ${error.stack ?? error}\n`);
  process.exit(1);
}

require(mainFile);
