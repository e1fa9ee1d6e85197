// A real OpenID Connect provider for the sign-in tests (panva's oidc-provider, its built-in
// development login and consent pages). Started by tests/sso/conftest.py:
//   node server.mjs <port> <state-dir>
// <state-dir>/jwks.json: the signing keys (the first signs; replaced to test key rotation)
// <state-dir>/accounts.json: login -> claims, read at each sign-in (tests add accounts)
// <state-dir>/clients.json: the relying parties (redirect URIs of the app under test)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Provider from 'oidc-provider';

const [port, dir] = process.argv.slice(2);
const read = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: read('clients.json'),
  jwks: read('jwks.json'),
  cookies: { keys: ['tilt-test-cookie-key'] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'given_name', 'usual_name', 'siret'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    jwtUserinfo: { enabled: true },
  },
  ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600 },
  async findAccount(ctx, id) {
    const accounts = read('accounts.json');
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
