/**
 * Headless Chromium with the network off, driven over the Chrome DevTools Protocol (a loopback
 * WebSocket): just what the browser check needs to load a page, evaluate scripts, collect
 * uncaught errors and blocked requests, and take screenshots.
 *
 * @module
 */

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** Flags that keep Chromium from reaching any network: every request goes to a dead proxy and
 * every host name fails to resolve, so only file:// pages load. */
const OFFLINE_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-extensions",
  "--proxy-server=http://127.0.0.1:9",
  "--proxy-bypass-list=<-loopback>",
  "--host-resolver-rules=MAP * ~NOTFOUND",
];

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** A page in an offline headless Chromium. */
export class OfflineBrowser {
  readonly #process: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #profile: string;
  #sessionId = "";
  #nextId = 1;
  readonly #pending = new Map<number, (message: CdpMessage) => void>();
  readonly #listeners: ((message: CdpMessage) => void)[] = [];
  /** Uncaught exceptions and console errors of the page, in order. */
  readonly errors: string[] = [];
  /** URLs the page tried to load from the network (all of them failed). */
  readonly blocked: string[] = [];

  private constructor(process: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      } else {
        for (const listener of this.#listeners) listener(message);
      }
    };
  }

  /**
   * Starts Chromium with a fresh profile folder (removed on close) and opens a blank page of the
   * given size.
   */
  static async launch(profile: string, width = 1280, height = 900): Promise<OfflineBrowser> {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    await Deno.mkdir(profile, { recursive: true });
    const process = new Deno.Command(CHROMIUM, {
      args: [
        ...OFFLINE_FLAGS,
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const url = await devtoolsUrl(process.stderr);
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`cannot connect to Chromium at ${url}`));
    });
    const browser = new OfflineBrowser(process, socket, profile);
    await browser.#open(width, height);
    return browser;
  }

  async #open(width: number, height: number): Promise<void> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    this.#sessionId = String(sessionId);
    this.#listeners.push((message) => {
      if (message.sessionId !== this.#sessionId) return;
      const params = message.params ?? {};
      if (message.method === "Runtime.exceptionThrown") {
        const details = params.exceptionDetails as {
          text?: string;
          exception?: { description?: string };
        };
        this.errors.push(details.exception?.description ?? details.text ?? "uncaught exception");
      } else if (message.method === "Runtime.consoleAPICalled" && params.type === "error") {
        const args = (params.args as { value?: unknown; description?: string }[]) ?? [];
        this.errors.push(`console.error: ${args.map((a) => a.value ?? a.description).join(" ")}`);
      } else if (message.method === "Network.requestWillBeSent") {
        const url = String((params.request as { url: string }).url);
        if (!/^(file|data|blob|about):/.test(url)) this.blocked.push(url);
      }
    });
    for (const domain of ["Page", "Runtime", "Network"]) await this.send(`${domain}.enable`);
    await this.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
  }

  /** Sends a command to the page (or to the browser before a page is attached). */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const message: CdpMessage = { id, method, params };
    if (this.#sessionId) message.sessionId = this.#sessionId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`Chromium did not answer ${method} within 60 s`));
      }, 60_000);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result ?? {});
      });
      this.#socket.send(JSON.stringify(message));
    });
  }

  /**
   * Turns the page's own scripts off or on (the next load applies it), to see a page as a
   * renderer that runs no JavaScript would show it. Evaluating expressions still works.
   */
  async setScriptsEnabled(enabled: boolean): Promise<void> {
    await this.send("Emulation.setScriptExecutionDisabled", { value: !enabled });
  }

  /** Loads a URL and waits for its load event. */
  async load(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => {
      const listener = (message: CdpMessage) => {
        if (message.method === "Page.loadEventFired" && message.sessionId === this.#sessionId) {
          this.#listeners.splice(this.#listeners.indexOf(listener), 1);
          resolve();
        }
      };
      this.#listeners.push(listener);
    });
    await this.send("Page.navigate", { url });
    await loaded;
  }

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) {
      throw new Error(`page script failed: ${JSON.stringify(exceptionDetails)}`);
    }
    return (result as { value: T }).value;
  }

  /** A PNG of a region of the page (page coordinates), or of the viewport. */
  async screenshot(
    clip?: { x: number; y: number; width: number; height: number },
  ): Promise<Uint8Array> {
    const { data } = await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: !!clip,
      ...(clip ? { clip: { ...clip, scale: 1 } } : {}),
    });
    return Uint8Array.from(atob(String(data)), (c) => c.charCodeAt(0));
  }

  /** Closes Chromium and removes its profile. */
  async close(): Promise<void> {
    try {
      this.#sessionId = "";
      await Promise.race([
        this.send("Browser.close"),
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ]);
    } catch {
      // Chromium may drop the connection before answering Browser.close.
    }
    this.#socket.close();
    try {
      this.#process.kill("SIGKILL");
    } catch {
      // already exited
    }
    await this.#process.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

/** Reads Chromium's stderr until it prints the DevTools WebSocket address. */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
    const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
    if (match) {
      // Keep draining stderr so Chromium never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done) { /* discard */ }
      })().catch(() => {});
      return match[1];
    }
  }
  throw new Error(`Chromium did not start:\n${seen.slice(-2000)}`);
}
