/** An answer over HTTP: the status, the parsed JSON body (undefined when the body is not JSON), its text, headers and the response. */
export type Reply<T = any> = { status: number; json: T; text: string; headers: Headers; response: Response };

/** Reads a response whole, so that tests can assert on its status, JSON and text alike. */
export async function readReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers, response };
}
