// How a receiver checks X-Cairn-Signature, shown beside a new secret. Plain strings, so a unit test
// runs them against the server's signer: the samples people copy must actually work. Lines are
// kept short enough for the dialog that shows them.

export const PYTHON_VERIFY = `import hashlib, hmac, time

def verify_cairn_signature(secret, header, body, tolerance=300):
    """True if X-Cairn-Signature signs this exact raw body."""
    fields = [p.strip().split("=", 1)
              for p in (header or "").split(",") if "=" in p]
    t = next((v for k, v in fields if k == "t"), "")
    if not t.isdigit() or abs(time.time() - int(t)) > tolerance:
        return False  # malformed, or too old: a replay
    expected = hmac.new(secret.encode(), t.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, v)
               for k, v in fields if k == "v1")

# Flask: check the raw bytes, before parsing the JSON.
# if not verify_cairn_signature(
#         os.environ["CAIRN_WEBHOOK_SECRET"],
#         request.headers.get("X-Cairn-Signature", ""),
#         request.get_data()):
#     abort(401)
`;

export const NODE_VERIFY = `import { createHmac, timingSafeEqual } from "node:crypto";

/** True if X-Cairn-Signature signs this exact raw body. */
export function verifyCairnSignature(
  secret, header, rawBody, toleranceSeconds = 300,
) {
  const fields = (header ?? "")
    .split(",")
    .map((part) => part.trim().split("="));
  const t = fields.find(([key]) => key === "t")?.[1] ?? "";
  const age = Math.abs(Date.now() / 1000 - Number(t));
  if (!/^\\d+$/.test(t) || age > toleranceSeconds) {
    return false; // malformed, or too old: a replay
  }
  const expected = createHmac("sha256", secret)
    .update(\`\${t}.\`)
    .update(rawBody)
    .digest();
  return fields
    .filter(([key]) => key === "v1")
    .map(([, value]) => Buffer.from(value ?? "", "hex"))
    .some((given) => given.length === expected.length
      && timingSafeEqual(given, expected));
}

// Express: keep the raw body (re-serialised JSON differs).
// app.post("/cairn", express.raw({ type: "application/json" }),
//   (req, res) => {
//     const ok = verifyCairnSignature(
//       process.env.CAIRN_WEBHOOK_SECRET,
//       req.get("X-Cairn-Signature"), req.body);
//     if (!ok) return res.sendStatus(401);
//     const event = JSON.parse(req.body);
//     res.sendStatus(204);
//   });
`;
