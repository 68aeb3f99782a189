import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "../../env.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Network = [Address, number];

/**
 * Cloud metadata services (AWS, GCP, Azure, Oracle; AWS ECS task metadata; Alibaba; AWS over
 * IPv6): they hand out credentials to whoever asks, so no webhook reaches them, whatever the
 * operator allows.
 */
const METADATA_NETWORKS: Network[] = ["169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32", "fd00:ec2::254/128"].map((cidr) =>
  ipaddr.parseCIDR(cidr),
);

/** Names of those services that resolve only inside the cloud, so a check of the URL alone sees them. */
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"]);

/** Global unicast IPv6: everything outside it is reserved, local or embeds an IPv4 address. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

const KIND_OF_RANGE: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  private: "a private address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  uniqueLocal: "a unique-local address",
};

/** The networks the operator opened to webhooks (`CAIRN_WEBHOOK_ALLOWED_NETWORKS`, validated CIDRs). */
export function allowedNetworks(): Network[] {
  return parseNetworks(env().CAIRN_WEBHOOK_ALLOWED_NETWORKS);
}

/** Parses CIDRs such as `10.0.0.0/8` or `fd00::/8`; throws on a malformed one. */
export function parseNetworks(cidrs: readonly string[]): Network[] {
  return cidrs.map((cidr) => ipaddr.parseCIDR(cidr));
}

/** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) reaches the IPv4 host: judge it as that. */
function normalise(address: Address): Address {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function within(address: Address, [network, bits]: Network): boolean {
  if (address.kind() === network.kind()) return address.match(network, bits);
  // An IPv4 address against a network written as IPv4-mapped IPv6.
  return address.kind() === "ipv4" && (address as ipaddr.IPv4).toIPv4MappedAddress().match(network, bits);
}

/**
 * Why a webhook may not be sent to this IP address, or null when it may: a cloud metadata service
 * never; otherwise an address in an allowed network, or a public one. Loopback, private,
 * link-local, unique-local, carrier-grade NAT, unspecified, multicast and reserved addresses are
 * refused. `address` is in standard notation (as `new URL` or a DNS lookup gives it).
 */
export function addressRefusal(address: string, allowed: readonly Network[]): string | null {
  if (!isIP(address)) return "not an IP address";
  const parsed = normalise(ipaddr.parse(address));
  if (METADATA_NETWORKS.some((network) => within(parsed, network))) return "a cloud metadata service";
  if (allowed.some((network) => within(parsed, network))) return null;
  const range = parsed.range();
  if (range === "unicast" && (parsed.kind() === "ipv4" || parsed.match(GLOBAL_UNICAST_V6))) return null;
  return KIND_OF_RANGE[range] ?? "a reserved address";
}

/** The host of a URL as an IP address without brackets, or null when it is a name. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isIP(host) ? host : null;
}

/**
 * Why a webhook URL may not be saved, as a message for the maintainer, or null when it may. The
 * URL's host is checked as written: an address (WHATWG parsing has already turned `2130706433` or
 * `0x7f.1` into `127.0.0.1`), or a name reserved for loopback or a metadata service. Other names
 * are checked when a delivery resolves them, since what they resolve to can change.
 */
export function urlRefusal(url: URL, allowed: readonly Network[]): string | null {
  const host = url.hostname.replace(/\.$/, "");
  const address = literalAddress(url) ?? (host === "localhost" || host.endsWith(".localhost") ? "127.0.0.1" : null);
  const kind = METADATA_NAMES.has(host) ? "a cloud metadata service" : address ? addressRefusal(address, allowed) : null;
  if (!kind) return null;
  const advice = kind === "a cloud metadata service" ? "" : " An administrator can allow a private network with CAIRN_WEBHOOK_ALLOWED_NETWORKS.";
  return `Webhooks cannot be sent to ${url.hostname}: it is ${kind}.${advice}`;
}
