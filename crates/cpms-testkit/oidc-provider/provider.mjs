// Loopback OpenID Connect provider for ERN-CPMS sign-in tests.
//
//   node provider.mjs --port P --client-id ID --client-secret S --redirect-uri URI
//                     [--acr VALUE] [--amr pwd,otp] [--mode normal|bad-signature|wrong-audience]
//
// Listens on 127.0.0.1 only and prints `ready <issuer-url>` once it accepts connections
// (`--port 0` picks a free port; the ready line tells which). Its login page accepts any
// username with the password in TEST_PASSWORD, as a plain HTML form, and grants consent
// without asking so that a cookie-jar HTTP client can drive a whole sign-in.
//
// The modes break ID tokens on purpose so the relying party's validation can be tested:
//   bad-signature   the token endpoint returns an ID token whose signature is corrupted;
//   wrong-audience  the ID token is re-signed (with the provider's real key) for another client.

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const TEST_PASSWORD = 'correct horse battery staple';
const OTHER_AUDIENCE = 'some-other-client';
const MODES = ['normal', 'bad-signature', 'wrong-audience'];

function fail(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(2);
}

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string' },
        acr: { type: 'string' },
        amr: { type: 'string' },
        mode: { type: 'string', default: 'normal' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error.message);
  }
  for (const required of ['port', 'client-id', 'client-secret', 'redirect-uri']) {
    if (!values[required]) fail(`--${required} is required`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port`);
  if (!MODES.includes(values.mode)) fail(`--mode must be one of ${MODES.join(', ')}`);
  return {
    port,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    redirectUri: values['redirect-uri'],
    acr: values.acr,
    amr: values.amr ? values.amr.split(',').filter(Boolean) : undefined,
    mode: values.mode,
  };
}

async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { privateKey, jwk: { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' } };
}

// Subjects are derived from the username so they are stable across runs but are not the
// username itself: relying parties must not treat `sub` as something a person typed.
function subjectFor(username) {
  return createHash('sha256').update(username).digest('hex').slice(0, 32);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, clientId, message) {
  const notice = message ? `<p role="alert">${escapeHtml(message)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body>
<h1>Test provider sign-in</h1>
<p>Signing in to ${escapeHtml(clientId)}.</p>
${notice}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Username <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Serves the login form and answers it; consent is granted without a page.
function interactions(provider, options) {
  const route = /^\/interaction\/([^/]+)(\/login)?$/;
  return async (ctx, next) => {
    const match = route.exec(ctx.path);
    if (!match) return next();
    ctx.set('Cache-Control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const [, uid, login] = match;
    if (uid !== details.uid) ctx.throw(400, 'interaction does not match the session cookie');

    if (details.prompt.name === 'consent') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } });
      ctx.redirect(returnTo);
      return undefined;
    }

    if (!login || ctx.method !== 'POST') {
      ctx.type = 'html';
      ctx.body = loginPage(uid, details.params.client_id);
      return undefined;
    }
    const form = await readForm(ctx.req);
    const username = form.get('username') ?? '';
    if (username.trim() === '' || form.get('password') !== TEST_PASSWORD) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(uid, details.params.client_id, 'Wrong username or password.');
      return undefined;
    }
    const result = { login: { accountId: subjectFor(username), acr: options.acr, amr: options.amr } };
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.redirect(returnTo);
    return undefined;
  };
}

function corruptSignature(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[0] ^= 0xff;
  return [header, payload, bytes.toString('base64url')].join('.');
}

async function reAddress(jwt, key) {
  const header = decodeProtectedHeader(jwt);
  return new SignJWT({ ...decodeJwt(jwt), aud: OTHER_AUDIENCE }).setProtectedHeader(header).sign(key.privateKey);
}

// Rewrites the ID token in token endpoint responses according to --mode.
function tokenTampering(mode, key) {
  return async (ctx, next) => {
    await next();
    const idToken = ctx.path === '/token' ? ctx.body?.id_token : undefined;
    if (typeof idToken !== 'string') return;
    if (mode === 'bad-signature') ctx.body = { ...ctx.body, id_token: corruptSignature(idToken) };
    if (mode === 'wrong-audience') ctx.body = { ...ctx.body, id_token: await reAddress(idToken, key) };
  };
}

function configuration(options, key) {
  return {
    clients: [{
      client_id: options.clientId,
      client_secret: options.clientSecret,
      redirect_uris: [options.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [key.jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    acrValues: options.acr ? [options.acr] : [],
    // acr, amr and auth_time with the openid scope, so every ID token says how and when the
    // person signed in.
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put the scope's claims in the ID token too, as many real providers do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, email: `${sub}@provider.test`, email_verified: true, name: `Test user ${sub.slice(0, 6)}` };
        },
      };
    },
  };
}

async function main() {
  const options = readOptions();
  const key = await signingKey();
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration(options, key));
  provider.use(tokenTampering(options.mode, key));
  provider.use(interactions(provider, options));
  server.on('request', provider.callback());
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.stdout.write(`ready ${issuer}\n`);
}

main().catch((error) => fail(error.stack ?? String(error)));
