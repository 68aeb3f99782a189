// The one place that reads process.env. Plain JS so next.config.js can import it:
// a bad value fails `next build` and start-up with a message naming the variable.
import { z } from "zod";
import { compileTrust } from "./http/forwarded.js";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const optionalUrl = optionalString.pipe(z.url().optional());

const commaList = optionalString.transform((v) =>
  v
    ? v
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
    : [],
);

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

/** @param {string[]} list */
function validProxyList(list) {
  try {
    compileTrust(list);
    return true;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: optionalUrl,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    CAIRN_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
    CAIRN_DATA_DIR: z.string().default(".data"),
    CAIRN_PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
    CAIRN_PUBLIC_URL: optionalUrl,
    CAIRN_TRUSTED_PROXIES: commaList
      .transform((list) => (list.length > 0 ? list : ["loopback"]))
      .refine(validProxyList, "a comma-separated list of addresses, CIDRs, or loopback / linklocal / uniquelocal"),
    AUTH_SECRET: optionalString,
    CAIRN_OIDC_ISSUER: optionalUrl,
    CAIRN_OIDC_CLIENT_ID: optionalString,
    CAIRN_OIDC_CLIENT_SECRET: optionalString,
    CAIRN_OIDC_NAME: z.string().default("Single sign-on"),
    CAIRN_SIGNUP_DOMAINS: commaList,
    CAIRN_RUN_RETENTION_DAYS: z.coerce.number().min(0).max(36500).default(30),
    CAIRN_SMTP_URL: optionalUrl,
    CAIRN_MAIL_FROM: z.string().default("Cairn <cairn@localhost>"),
    CAIRN_SECURE_COOKIES: flag,
    CAIRN_ARTIFACTS_DIR: optionalString,
    CAIRN_S3_BUCKET: optionalString,
    CAIRN_S3_PREFIX: z.string().trim().default(""),
    CAIRN_S3_ENDPOINT: optionalUrl,
    CAIRN_S3_REGION: z.string().trim().default("us-east-1"),
    CAIRN_S3_FORCE_PATH_STYLE: flag,
    CAIRN_S3_ACCESS_KEY_ID: optionalString,
    CAIRN_S3_SECRET_ACCESS_KEY: optionalString,
    CAIRN_WEBHOOK_ALLOWED_NETWORKS: commaList.pipe(
      z.array(z.union([z.cidrv4(), z.cidrv6()], { error: "a comma-separated list of networks in CIDR notation, e.g. 10.0.0.0/8,fd00::/8" })),
    ),
  })
  .superRefine((env, issue) => {
    const oidc = [env.CAIRN_OIDC_ISSUER, env.CAIRN_OIDC_CLIENT_ID, env.CAIRN_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      issue.addIssue({
        code: "custom",
        path: ["CAIRN_OIDC_ISSUER"],
        message: "set CAIRN_OIDC_ISSUER, CAIRN_OIDC_CLIENT_ID and CAIRN_OIDC_CLIENT_SECRET together",
      });
    }
    if (Boolean(env.CAIRN_S3_ACCESS_KEY_ID) !== Boolean(env.CAIRN_S3_SECRET_ACCESS_KEY)) {
      issue.addIssue({
        code: "custom",
        path: ["CAIRN_S3_ACCESS_KEY_ID"],
        message: "set CAIRN_S3_ACCESS_KEY_ID and CAIRN_S3_SECRET_ACCESS_KEY together",
      });
    }
    // Without a bucket artifacts would silently go to the local folder instead.
    if (!env.CAIRN_S3_BUCKET && (env.CAIRN_S3_ENDPOINT || env.CAIRN_S3_PREFIX || env.CAIRN_S3_ACCESS_KEY_ID)) {
      issue.addIssue({ code: "custom", path: ["CAIRN_S3_BUCKET"], message: "set CAIRN_S3_BUCKET to use the other CAIRN_S3_ settings" });
    }
  });

/** @typedef {z.infer<typeof schema>} Env */

/** @param {Record<string, string | undefined>} source @returns {Env} */
export function parseEnv(source) {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid Cairn configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/**
 * The validated configuration. Read lazily so that launchers (scripts/serve.ts, the CLI, test set-up)
 * can fill in DATABASE_URL before the first read.
 * @returns {Env}
 */
export function env() {
  cached ??= parseEnv(process.env);
  return cached;
}
/** @type {Env | undefined} */
let cached;

/** Whether OIDC sign-in is configured. @param {Env} e */
export function oidcEnabled(e) {
  return Boolean(e.CAIRN_OIDC_ISSUER && e.CAIRN_OIDC_CLIENT_ID && e.CAIRN_OIDC_CLIENT_SECRET);
}
