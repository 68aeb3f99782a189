import { describe, expect, it } from "vitest";
import { addressRefusal, parseNetworks, urlRefusal } from "../../server/services/webhooks/target-policy";

const refusal = (url: string, cidrs: string[] = []) => urlRefusal(new URL(url), parseNetworks(cidrs));

describe("webhook target policy: URLs as saved", () => {
  it("refuses internal, local, reserved and metadata targets by default, whatever their notation", () => {
    const cases: Array<[string, string]> = [
      ["http://127.0.0.1:5432/", "a loopback address"],
      ["http://2130706433/", "a loopback address"],
      ["http://0x7f.1/", "a loopback address"],
      ["http://0177.0.0.1/", "a loopback address"],
      ["http://[::1]/", "a loopback address"],
      ["http://localhost:3000/", "a loopback address"],
      ["http://LOCALHOST./", "a loopback address"],
      ["http://ci.localhost/", "a loopback address"],
      ["http://169.254.169.254/latest/meta-data/", "a cloud metadata service"],
      ["http://[::ffff:169.254.169.254]/", "a cloud metadata service"],
      ["http://[fd00:ec2::254]/", "a cloud metadata service"],
      ["http://100.100.100.200/", "a cloud metadata service"],
      ["http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata service"],
      ["http://metadata.google.internal./", "a cloud metadata service"],
      ["http://0.0.0.0/", "an unspecified address"],
      ["http://0/", "an unspecified address"],
      ["http://[::]/", "an unspecified address"],
      ["http://10.1.2.3/", "a private address"],
      ["http://172.16.0.1/", "a private address"],
      ["http://172.31.255.255/", "a private address"],
      ["http://192.168.1.10/", "a private address"],
      ["http://[::ffff:192.168.1.10]/", "a private address"],
      ["http://100.64.0.1/", "a shared (carrier-grade NAT) address"],
      ["http://169.254.1.1/", "a link-local address"],
      ["http://[fe80::1]/", "a link-local address"],
      ["http://[fc00::1]/", "a unique-local address"],
      ["http://[fdff:1234::1]/", "a unique-local address"],
      ["http://224.0.0.1/", "a multicast address"],
      ["http://[ff02::1]/", "a multicast address"],
      ["http://255.255.255.255/", "a broadcast address"],
      ["http://240.0.0.1/", "a reserved address"],
      ["http://192.0.2.1/", "a reserved address"],
      ["http://[2001:db8::1]/", "a reserved address"],
      // IPv6 forms that embed an IPv4 address (IPv4-compatible, NAT64, 6to4) or lie outside 2000::/3.
      ["http://[::127.0.0.1]/", "a reserved address"],
      ["http://[64:ff9b::7f00:1]/", "a reserved address"],
      ["http://[2002:7f00:1::]/", "a reserved address"],
      ["http://[100::1]/", "a reserved address"],
    ];
    for (const [url, kind] of cases) expect(refusal(url), url).toContain(`it is ${kind}.`);
    expect(refusal("http://2130706433/")).toBe(
      "Webhooks cannot be sent to 127.0.0.1: it is a loopback address. An administrator can allow a private network with CAIRN_WEBHOOK_ALLOWED_NETWORKS.",
    );
    expect(refusal("http://metadata.google.internal/")).toBe("Webhooks cannot be sent to metadata.google.internal: it is a cloud metadata service.");
  });

  it("accepts public addresses and names (a name is checked again when a delivery resolves it)", () => {
    for (const url of [
      "https://8.8.8.8/",
      "https://172.32.0.1/",
      "https://100.128.0.1/",
      "https://[2606:4700:4700::1111]/hook",
      "https://ci.example.com/cairn",
      "http://internal.corp:8080/",
    ]) {
      expect(refusal(url), url).toBeNull();
    }
  });

  it("accepts the networks the operator allows, but never a metadata service", () => {
    expect(refusal("http://10.1.2.3/", ["10.0.0.0/8"])).toBeNull();
    expect(refusal("http://[::ffff:10.1.2.3]/", ["10.0.0.0/8"])).toBeNull();
    expect(refusal("http://10.1.2.3/", ["::ffff:10.0.0.0/104"])).toBeNull();
    expect(refusal("http://192.168.1.10/", ["10.0.0.0/8"])).toContain("a private address");
    expect(refusal("http://2130706433:5432/", ["127.0.0.0/8"])).toBeNull();
    expect(refusal("http://localhost/", ["127.0.0.0/8"])).toBeNull();
    expect(refusal("http://[fd12::1]/", ["fd00::/8"])).toBeNull();
    expect(refusal("http://[fc00::1]/", ["fd00::/8"])).toContain("a unique-local address");
    expect(refusal("http://169.254.1.1/", ["169.254.0.0/16"])).toBeNull();
    expect(refusal("http://169.254.169.254/", ["169.254.0.0/16"])).toContain("a cloud metadata service");
    expect(refusal("http://metadata.google.internal/", ["0.0.0.0/0", "::/0"])).toContain("a cloud metadata service");
    expect(refusal("http://[::ffff:169.254.169.254]/", ["0.0.0.0/0", "::/0"])).toContain("a cloud metadata service");
  });
});

describe("webhook target policy: resolved addresses", () => {
  it("judges an address as a DNS lookup returns it", () => {
    expect(addressRefusal("127.0.0.1", [])).toBe("a loopback address");
    expect(addressRefusal("::ffff:127.0.0.1", [])).toBe("a loopback address");
    expect(addressRefusal("fe80::1%eth0", [])).toBe("a link-local address");
    expect(addressRefusal("93.184.215.14", [])).toBeNull();
    expect(addressRefusal("2606:2800:21f:cb07:6820:80da:af6b:8b2c", [])).toBeNull();
    expect(addressRefusal("127.0.0.1", parseNetworks(["127.0.0.0/8"]))).toBeNull();
  });
});
