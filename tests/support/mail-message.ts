/** A message as an SMTP capture received it: envelope and decoded text. */
export type ReceivedMail = { from: string; to: string[]; subject: string; text: string };

/** The subject and plain-text body of a raw RFC 5322 message (quoted-printable undone). */
export function decodeMessage(raw: string): Pick<ReceivedMail, "subject" | "text"> {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head!.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(headers)?.[1]?.trim() ?? "";
  let text = rest.join("\n\n");
  if (/quoted-printable/i.test(header("Content-Transfer-Encoding"))) {
    text = text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return { subject: header("Subject"), text: text.replace(/\r\n/g, "\n") };
}
