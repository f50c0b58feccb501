import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Swagger UI, served by the API itself from the swagger-ui-dist package (no CDN, nothing
 * fetched from elsewhere: the page works offline and under the API's Content-Security-Policy,
 * scripts from 'self' only). Only the files the page needs are served, read once.
 */
export interface DocsAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const PACKAGE_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * The page's own start script (a file, not inline: the CSP forbids inline scripts). The
 * validator badge is off: Swagger UI would otherwise send the document to validator.swagger.io.
 */
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/docs/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
`;

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Lendstream ops API</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <noscript>This page needs JavaScript; the document itself is at <a href="/docs/openapi.json">/docs/openapi.json</a>.</noscript>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/docs-init.js"></script>
  </body>
</html>
`;

const cache = new Map<string, DocsAsset>();
/** Where npm put swagger-ui-dist (its files are read from there, never fetched). */
const packageDir = (): string => dirname(require.resolve('swagger-ui-dist/package.json'));

/** The asset of that name, or undefined when it is not one the page serves. */
export function docsAsset(name: string): DocsAsset | undefined {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  let asset: DocsAsset | undefined;
  if (name === 'docs-init.js')
    asset = { contentType: 'application/javascript; charset=utf-8', body: Buffer.from(INITIALIZER, 'utf8') };
  else if (Object.hasOwn(PACKAGE_FILES, name))
    asset = { contentType: PACKAGE_FILES[name]!, body: readFileSync(join(packageDir(), name)) };
  if (asset !== undefined) cache.set(name, asset);
  return asset;
}
