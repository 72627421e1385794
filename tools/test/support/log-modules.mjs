// Preloaded into a child (NODE_OPTIONS=--import) by the startup test: appends every module URL the child resolves
// to the file named by UNITRACE_MODULE_LOG.
import { register } from 'node:module';

if (process.env.UNITRACE_MODULE_LOG) {
  const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.UNITRACE_MODULE_LOG)}, result.url + '\\n');
  return result;
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
