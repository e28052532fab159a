// A real OpenID provider for the console's OIDC sign-in test: the OpenID-certified
// `oidc-provider` (panva) with its own development interaction pages (any password is accepted
// for a known login; then a consent page).
//
//   OIDC_PORT=9000 OIDC_REDIRECT_URI=http://127.0.0.1:8100/login/oidc/callback node provider.mjs
//
// One confidential client (`console`, secret `console-test-secret`), code flow with PKCE S256;
// the scope `union` carries the claims `role` and `org` the console is configured to read.
// ID tokens are RS256-signed with a key made at start (the JWKS at /jwks).
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 9000);
const issuer = process.env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
const redirectUri = process.env.OIDC_REDIRECT_URI;
if (!redirectUri) {
  console.error('OIDC_REDIRECT_URI is required');
  process.exit(2);
}

// The people of this provider: login -> claims. `wang.qiang` has no role claim.
const ACCOUNTS = {
  'li.na': {
    name: '李娜', preferred_username: 'li.na', role: 'clerk', org: 'zhoushan/putuo/center',
  },
  'chen.gang': {
    name: '陈刚', preferred_username: 'chen.gang', role: 'district_officer', org: 'zhoushan/dinghai',
  },
  'wang.qiang': { name: '王强', preferred_username: 'wang.qiang', org: 'zhoushan/putuo/center' },
  'bad.org': { name: '赵六', preferred_username: 'bad.org', role: 'clerk', org: 'Not A Path' },
};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signing = { ...(await exportJWK(privateKey)), kid: 'test-rs256', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID || 'console',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'console-test-secret',
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['openid', 'profile', 'union'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    union: ['role', 'org'],
  },
  async findAccount(ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  jwks: { keys: [signing] },
  cookies: { keys: ['test-only-cookie-key-0123456789abcdef'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
