/**
 * Headless Chromium with the network off, driven over the Chrome DevTools Protocol (a loopback
 * WebSocket): what drawing figures offline needs (load a page, evaluate scripts, collect
 * uncaught errors and blocked requests, take screenshots). One browser serves many pages in
 * turn; every wait has a wide time limit whose error says "timed out" and what was running.
 *
 * @module
 */

import { FactorlabError } from "../errors.ts";

/** Where Chromium or Chrome usually is, by platform, in the order they are tried. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
];

/** How to install a browser, for error messages. */
const INSTALL_HINT = "Install Chromium: on Debian or Ubuntu `sudo apt-get install chromium` " +
  "(Ubuntu: `sudo snap install chromium`), on macOS `brew install --cask chromium` or Google " +
  "Chrome, on Windows Google Chrome; or name the browser's program with --chromium=PATH";

/**
 * Chromium could not be found, started or driven: the message says which program, what it was
 * doing, and what to do (install it, or grant the permission to run it).
 *
 * @example
 * ```ts
 * import { BrowserError } from "./chromium.ts";
 * import assert from "node:assert/strict";
 * const err = new BrowserError("timed out after 120 s waiting for Chromium");
 * assert.ok(err.message.includes("timed out"));
 * ```
 */
export class BrowserError extends FactorlabError {}

/**
 * The Chromium program to run: `explicit` when given (it must exist), otherwise the first of
 * {@link CHROMIUM_CANDIDATES} that exists.
 *
 * @param explicit A path given by the user, if any.
 * @returns The path of the program.
 * @throws {BrowserError} when no browser is found, saying how to install one.
 *
 * @example
 * ```ts
 * import { BrowserError, findChromium } from "./chromium.ts";
 * import assert from "node:assert/strict";
 * assert.throws(
 *   () => findChromium("./no-such-browser"),
 *   (e: unknown) => e instanceof BrowserError && /apt-get install chromium/.test(e.message),
 * );
 * ```
 */
export function findChromium(explicit?: string): string {
  // "missing" only when the file system says so; without read permission, trust and try.
  const state = (path: string): "file" | "missing" | "unknown" => {
    try {
      return Deno.statSync(path).isFile ? "file" : "missing";
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "missing";
      if (
        error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ) {
        return "unknown";
      }
      throw error;
    }
  };
  if (explicit !== undefined) {
    if (state(explicit) !== "missing") return explicit;
    throw new BrowserError(`No browser program at ${explicit}. ${INSTALL_HINT}.`);
  }
  const found = CHROMIUM_CANDIDATES.find((path) => state(path) === "file");
  if (found) return found;
  throw new BrowserError(
    `Chromium is needed to draw the figures offline, and none was found (looked at ` +
      `${CHROMIUM_CANDIDATES.join(", ")}). ${INSTALL_HINT}.`,
  );
}

/** Flags that keep Chromium from reaching any network: every request goes to a dead proxy and
 * (with NO_LOOPBACK or ONLY_LOOPBACK) every host name fails to resolve, so only file:// pages
 * load (and, with `loopback`, servers on 127.0.0.1, which bypass the proxy). */
const OFFLINE_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-extensions",
  "--proxy-server=http://127.0.0.1:9",
];
/** Sends loopback requests to the dead proxy too, and no host name resolves. */
const NO_LOOPBACK = ["--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND"];
/** No host name resolves, but 127.0.0.1 stays reachable (the rule would map it too). */
const ONLY_LOOPBACK = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"];
const LOOPBACK_URL = /^(https?|wss?):\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\//;

/** Default limit for Chromium to start and for each command; wide, for loaded machines. */
export const BROWSER_TIMEOUT_MS = 180_000;

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** Options of {@link OfflineBrowser.launch}. */
export interface LaunchOptions {
  /** The browser program (default: {@link findChromium}). */
  executable?: string;
  /** Viewport width in CSS pixels (default 1280). */
  width?: number;
  /** Viewport height in CSS pixels (default 900). */
  height?: number;
  /** Limit for starting and for each command, in ms (default {@link BROWSER_TIMEOUT_MS}). */
  timeoutMs?: number;
  /**
   * Let pages reach servers on 127.0.0.1 (a local Jupyter server); everything else stays off
   * (default false: only file, data and about URLs load).
   */
  loopback?: boolean;
  /** Folder in which the temporary profile folder is made (default: the system's temp folder). */
  tempDir?: string;
  /**
   * Extra command-line flags (the offline flags always apply).
   */
  flags?: string[];
}

/**
 * Rejects with a "timed out" {@link BrowserError} naming `what` if `promise` has not settled
 * within `ms`.
 */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BrowserError(`timed out after ${Math.round(ms / 1000)} s ${what}`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A page in a headless Chromium with the network off. Its profile is a fresh temporary folder,
 * removed on {@link OfflineBrowser.close}.
 *
 * @example Draw a page and read what it computed
 * ```ts ignore
 * import { OfflineBrowser } from "./chromium.ts";
 *
 * const browser = await OfflineBrowser.launch();
 * try {
 *   await browser.load("data:text/html,<p id=x>hi</p>");
 *   console.log(await browser.evaluate<string>("document.getElementById('x').textContent"));
 * } finally {
 *   await browser.close();
 * }
 * ```
 */
export class OfflineBrowser {
  readonly #process: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #profile: string;
  readonly #executable: string;
  readonly #timeoutMs: number;
  #sessionId = "";
  #nextId = 1;
  readonly #pending = new Map<number, (message: CdpMessage) => void>();
  readonly #listeners: ((message: CdpMessage) => void)[] = [];
  #closed: Promise<void> | undefined;
  #loopback = false;
  /** Uncaught exceptions and console errors of the page, in order. */
  readonly errors: string[] = [];
  /** URLs the page tried to load from the network (all of them failed). */
  readonly blocked: string[] = [];

  private constructor(
    process: Deno.ChildProcess,
    socket: WebSocket,
    profile: string,
    executable: string,
    timeoutMs: number,
  ) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    this.#executable = executable;
    this.#timeoutMs = timeoutMs;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      } else {
        for (const listener of [...this.#listeners]) listener(message);
      }
    };
    socket.onclose = () => {
      for (const [id, reply] of this.#pending) {
        reply({ id, error: { message: `Chromium (${executable}) closed the connection` } });
      }
      this.#pending.clear();
    };
  }

  /**
   * Starts Chromium with a fresh profile in a temporary folder and opens a blank page.
   *
   * @param options Program, viewport size, time limit and extra flags.
   * @returns The browser, with its page open.
   * @throws {BrowserError} when Chromium is missing, cannot be run, or does not start in time.
   */
  static async launch(options: LaunchOptions = {}): Promise<OfflineBrowser> {
    const executable = options.executable ?? findChromium();
    const timeoutMs = options.timeoutMs ?? BROWSER_TIMEOUT_MS;
    if (options.tempDir) await Deno.mkdir(options.tempDir, { recursive: true });
    const profile = await Deno.makeTempDir({ dir: options.tempDir, prefix: "factorlab-chromium-" });
    let process: Deno.ChildProcess;
    try {
      process = new Deno.Command(executable, {
        args: [
          ...OFFLINE_FLAGS,
          ...(options.loopback ? ONLY_LOOPBACK : NO_LOOPBACK),
          ...(options.flags ?? []),
          `--user-data-dir=${profile}`,
          "--remote-debugging-port=0",
          "about:blank",
        ],
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      if (error instanceof Deno.errors.NotFound) {
        throw new BrowserError(`Cannot run ${executable}: not found. ${INSTALL_HINT}.`, {
          cause: error,
        });
      }
      if (
        error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ) {
        throw new BrowserError(
          `Not permitted to run ${executable}: grant it with --allow-run=${executable}`,
          { cause: error },
        );
      }
      throw error;
    }
    let socket: WebSocket | undefined;
    try {
      const url = await within(
        devtoolsUrl(process.stderr),
        timeoutMs,
        `waiting for Chromium (${executable}) to start and print its DevTools address`,
      );
      socket = new WebSocket(url);
      const open = new Promise((resolve, reject) => {
        socket!.onopen = resolve;
        socket!.onerror = () => reject(new BrowserError(`cannot connect to Chromium at ${url}`));
      });
      await within(open, timeoutMs, `connecting to Chromium at ${url}`);
    } catch (error) {
      socket?.close();
      await stop(process, profile);
      throw error;
    }
    const browser = new OfflineBrowser(process, socket, profile, executable, timeoutMs);
    browser.#loopback = options.loopback ?? false;
    try {
      await browser.#open(options.width ?? 1280, options.height ?? 900);
    } catch (error) {
      await browser.close();
      throw error;
    }
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
        if (!/^(file|data|blob|about):/.test(url) && !(this.#loopback && LOOPBACK_URL.test(url))) {
          this.blocked.push(url);
        }
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

  /**
   * Sends a DevTools command to the page (or to the browser before a page is attached).
   *
   * @param method The command, e.g. `"Page.navigate"`.
   * @param params Its parameters.
   * @returns The command's result.
   * @throws {BrowserError} when Chromium reports an error or does not answer in time.
   */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const message: CdpMessage = { id, method, params };
    if (this.#sessionId) message.sessionId = this.#sessionId;
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.#pending.set(id, (answer) => {
        if (answer.error) reject(new BrowserError(`${method}: ${answer.error.message}`));
        else resolve(answer.result ?? {});
      });
      if (this.#socket.readyState !== WebSocket.OPEN) {
        this.#pending.delete(id);
        reject(new BrowserError(`${method}: the connection to Chromium is closed`));
        return;
      }
      this.#socket.send(JSON.stringify(message));
    });
    return within(
      reply,
      this.#timeoutMs,
      `waiting for Chromium (${this.#executable}) to answer ${method}`,
    ).finally(() => this.#pending.delete(id));
  }

  /**
   * Turns the page's own scripts off or on (the next load applies it), to see a page as a
   * renderer that runs no JavaScript would show it. Evaluating expressions still works.
   *
   * @param enabled Whether the page's scripts run.
   */
  async setScriptsEnabled(enabled: boolean): Promise<void> {
    await this.send("Emulation.setScriptExecutionDisabled", { value: !enabled });
  }

  /**
   * Calls `listener` with every event of the page (method and parameters) until the returned
   * function is called.
   *
   * @param listener Receives each event.
   * @returns A function that stops the calls.
   */
  onEvent(listener: (method: string, params: Record<string, unknown>) => void): () => void {
    const wrapped = (message: CdpMessage) => {
      if (message.method && message.sessionId === this.#sessionId) {
        listener(message.method, message.params ?? {});
      }
    };
    this.#listeners.push(wrapped);
    return () => {
      const at = this.#listeners.indexOf(wrapped);
      if (at >= 0) this.#listeners.splice(at, 1);
    };
  }

  /**
   * Waits for the page's next event of a kind (start waiting before causing it).
   *
   * @param method The event, e.g. `"Page.loadEventFired"`.
   * @returns The event's parameters.
   * @throws {BrowserError} when it does not come in time.
   */
  waitFor(method: string): Promise<Record<string, unknown>> {
    let stop: (() => void) | undefined;
    const event = new Promise<Record<string, unknown>>((resolve) => {
      stop = this.onEvent((name, params) => name === method && resolve(params));
    });
    return within(event, this.#timeoutMs, `waiting for Chromium's ${method} event`)
      .finally(() => stop!());
  }

  /**
   * Loads a URL and waits for its load event.
   *
   * @param url A `file:`, `data:` or `about:` URL (nothing else loads: the network is off).
   * @throws {BrowserError} when the page does not load in time.
   */
  async load(url: string): Promise<void> {
    const loaded = this.waitFor("Page.loadEventFired");
    await this.send("Page.navigate", { url });
    try {
      await loaded;
    } catch (error) {
      throw new BrowserError(`${(error as Error).message} (loading ${url.slice(0, 200)})`, {
        cause: error,
      });
    }
  }

  /**
   * Evaluates an expression in the page (awaiting a promise) and returns its JSON value.
   *
   * @param expression JavaScript to evaluate.
   * @returns The value, as JSON.
   * @throws {BrowserError} when the expression throws or does not finish in time.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) {
      const details = exceptionDetails as { exception?: { description?: string }; text?: string };
      throw new BrowserError(
        `page script failed: ${details.exception?.description ?? details.text ?? "error"}`,
      );
    }
    return (result as { value: T }).value;
  }

  /**
   * A PNG of a region of the page (page coordinates), or of the viewport.
   *
   * @param clip The region, in CSS pixels.
   * @returns The PNG file's bytes.
   */
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

  /** Closes Chromium (killing it if it does not exit) and removes its profile. */
  close(): Promise<void> {
    return this.#closed ??= this.#close();
  }

  async #close(): Promise<void> {
    this.#sessionId = "";
    try {
      await within(this.send("Browser.close"), 10_000, "waiting for Chromium to close");
    } catch {
      // Chromium may drop the connection before answering Browser.close; it is killed below.
    }
    this.#socket.close();
    await stop(this.#process, this.#profile);
  }
}

/** Kills Chromium if it still runs, waits for it to exit and removes its profile. */
async function stop(process: Deno.ChildProcess, profile: string): Promise<void> {
  try {
    process.kill("SIGKILL");
  } catch {
    // already exited
  }
  await process.status;
  await Deno.remove(profile, { recursive: true }).catch(() => {});
}

/** Reads Chromium's stderr until it prints the DevTools WebSocket address. */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (true) {
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
  throw new BrowserError(`Chromium exited before it started:\n${seen.slice(-2000)}`);
}
