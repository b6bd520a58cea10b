// The product docs' verifyWebhook, unchanged, run against a real delivery.
// stdin: {"payload": "<raw body>", "signature": "<X-Webhook-Signature>", "secret": "whsec_..."}
const crypto = require('crypto');
function verifyWebhook(payload, signature, secret) {
const expected = crypto
.createHmac('sha256', secret)
.update(payload)
.digest('hex');
return signature === expected;
}

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const { payload, signature, secret } = JSON.parse(input);
  process.stdout.write(String(verifyWebhook(payload, signature, secret)));
});
