// An OpenID Connect provider set up as TARA (RIA's authentication service) for the tests:
// oidc-provider with TARA's endpoints, scopes and claims, RS256 keys made at start (so that each
// start is a key rotation), and a page in place of TARA's choice of eID means.
//
//   node provider.js PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Prints "listening <issuer>" once it answers. The sign-in page also lets a test ask for an ID
// token spoiled on the way to the portal (expired, signed with a key the provider does not
// publish, for another client), so that the portal's checks are tried against real responses.
import { randomUUID } from 'node:crypto';
import { Provider } from 'oidc-provider';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

const kid = randomUUID();
const published = await signingKey(kid);
// Not published, under the same key id: only the signature can tell.
const foreign = await signingKey(kid);

// Who signed in, by personal code: their claims, and how their ID token is to be spoiled.
const people = new Map();

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [published.jwk] },
  // TARA's scopes: openid, and the eID means offered.
  scopes: ['openid', 'idcard', 'mid', 'smartid', 'eidas', 'eidasonly', 'email', 'phone'],
  claims: { openid: ['sub', 'profile_attributes', 'acr', 'amr', 'auth_time'] },
  acrValues: ['low', 'substantial', 'high'],
  // TARA puts the person's data in the ID token, not behind a userinfo call.
  conformIdTokenClaims: false,
  routes: {
    authorization: '/oidc/authorize',
    token: '/oidc/token',
    jwks: '/oidc/jwks',
    userinfo: '/oidc/profile',
    end_session: '/oidc/logout',
  },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: [randomUUID()] },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const person = people.get(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          profile_attributes: {
            given_name: person.given_name,
            family_name: person.family_name,
            date_of_birth: person.date_of_birth,
          },
        };
      },
    };
  },
  // The portal is TARA's client already: no consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    grant.addOIDCClaims(['sub', 'profile_attributes']);
    await grant.save();
    return grant;
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid) {
  const field = (name, label, value) => `<p><label for="${name}">${label}</label>
    <input id="${name}" name="${name}" value="${escape(value)}"></p>`;
  const select = (name, label, options) => `<p><label for="${name}">${label}</label>
    <select id="${name}" name="${name}">${options.map((o) => `<option>${o}</option>`).join('')}</select></p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TARA</title></head>
<body><h1>Authenticate</h1><form method="post" action="/interaction/${uid}">
${field('personal_code', 'Personal code', 'EE38001085718')}
${field('given_name', 'Given name', 'JAAK-KRISTJAN')}
${field('family_name', 'Family name', 'JÕEORG')}
${field('date_of_birth', 'Date of birth', '1980-01-08')}
${select('means', 'Means', ['idcard', 'mID', 'smartid', 'eIDAS'])}
${select('acr', 'Level of assurance', ['high', 'substantial', 'low'])}
${select('tamper', 'ID token', ['as issued', 'expired', 'foreign key', 'wrong audience'])}
<button type="submit">Continue</button></form></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = loginPage(details.uid);
    return undefined;
  }
  const form = await readForm(ctx.req);
  people.set(form.personal_code, form);
  await provider.interactionFinished(ctx.req, ctx.res, {
    login: { accountId: form.personal_code, acr: form.acr, amr: [form.means] },
  }, { mergeWithLastSubmission: false });
  ctx.respond = false;
  return undefined;
});

// The ID token on its way to the portal, spoiled as the sign-in asked.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/oidc/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const tamper = people.get(claims.sub)?.tamper;
  if (!tamper || tamper === 'as issued') return;
  let key = published.privateKey;
  const now = Math.floor(Date.now() / 1000);
  if (tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (tamper === 'wrong audience') Object.assign(claims, { aud: 'another-service' });
  if (tamper === 'foreign key') key = foreign.privateKey;
  ctx.body.id_token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(key);
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
