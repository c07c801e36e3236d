/**
 * A fresh Deno process that does nothing: the start-up time of Deno itself, printed next to the
 * cold-start figures of task 5 so the part that is factorlab's can be read off.
 *
 * @module
 */

export {};
