// ConvLab's service worker: it keeps one build of the site in a cache so
// that a page opened once loads and trains without a network. make dist
// writes it from this template (package convlab/wasm/offline), with the
// build's key and its files' SHA-256 in place of @BUILD@ and @FILES@.
//
//   - Installing, it fetches the files a visit needs for the default run
//     (precache: true), revalidating each with the server, so on a first
//     visit it costs only "not modified" answers: the page registers it
//     once it has loaded. Any other file of the build (report.wasm, more
//     training images) is cached when the page or a worker first fetches
//     it.
//   - A file enters the cache, and leaves it for the page, only if its
//     SHA-256 is the build's: a damaged copy is dropped and fetched again,
//     and a file from another build is never mixed into this one. A data
//     file that is not cached yet reaches the page as it arrives, so that
//     the page can show the download's progress, and is checked by the
//     page (size and CRC-32) and here before it is cached.
//   - A new build has a new key, so a new sw.js. Reloading the page's only
//     tab checks for one and, when it is installed, lets it take over and
//     reloads once more; it then deletes the old build's cache.
"use strict";

const BUILD = "@BUILD@";
const FILES = @FILES@;

// How long a page load waits for the server to say whether there is a new
// build, and then for the new build to be downloaded, before it starts
// the build it has; the new one then takes over at the next reload.
const UPDATE_CHECK_MS = 2000;
const UPDATE_INSTALL_MS = 15000;

// The site's address; file names are relative to it.
const SITE = new URL(self.registration.scope);

// The build's cache. Its name ends with the site's path, so that two
// copies of the site on one host (say /convlab/ and /convlab-old/) keep
// their caches apart; every cache of this site is named so, with its build.
const CACHE_PREFIX = "convlab-";
const CACHE_SUFFIX = " " + SITE.pathname;
const CACHE = CACHE_PREFIX + BUILD + CACHE_SUFFIX;

const urlOf = (name) => new URL(name, SITE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name.endsWith(CACHE_SUFFIX) && name !== CACHE) await caches.delete(name);
    }
    // Control the page that registered this worker, so that what it
    // fetches from now on is cached too.
    await self.clients.claim();
  })());
});

// "take over" comes from the previous build's worker when the page's only
// tab reloads: this one becomes active without waiting for the tab to close.
self.addEventListener("message", (event) => {
  if (event.data !== "take over") return;
  // The answer goes first: skipWaiting's promise may wait for the
  // activation, which waits for the old worker's answer to the page.
  if (event.ports[0]) event.ports[0].postMessage("taking over");
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SITE.origin || !url.pathname.startsWith(SITE.pathname)) return;
  const name = url.pathname.slice(SITE.pathname.length) || "index.html";
  if (request.mode === "navigate") {
    if (name === "index.html") event.respondWith(openPage(event));
    return;
  }
  if (url.search !== "") return;
  if (FILES[name]) {
    event.respondWith(buildFile(name, event));
  } else if (name.startsWith("data/")) {
    event.respondWith(dataFile(request, name));
  }
});

// precache puts the files a visit needs into the build's cache, those
// already there and intact excepted.
async function precache() {
  const cache = await caches.open(CACHE);
  const names = Object.keys(FILES).filter((name) => FILES[name].precache);
  await Promise.all(names.map(async (name) => {
    if (await cachedIntact(cache, name)) return;
    await cache.put(urlOf(name), await fetchChecked(name, "no-cache"));
  }));
}

// openPage answers a navigation to the page: with the new build when
// there is one and this is the site's only tab (see takeOver), otherwise
// with this build's index.html.
async function openPage(event) {
  // A newer build's worker that has become active, or takes over once
  // this answer is given, loads the page anew, all of its own build.
  if (superseded() || await takeOver()) {
    return new Response('<!DOCTYPE html><meta http-equiv="refresh" content="0"><link rel="icon" href="data:,"><title>ConvLab</title>',
      { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  return buildFile("index.html", event);
}

// superseded reports whether another worker (a newer build's) is active:
// this one may still be asked for a page it must no longer give.
function superseded() {
  return !!self.serviceWorker && self.registration.active !== self.serviceWorker;
}

// takeOver reports whether a new build's worker has been installed, this
// navigation is the only tab of the site (a reload, or a new tab with none
// open), and the new worker has agreed to take over. It asks the server
// for a new build first, waiting no longer than UPDATE_CHECK_MS for the
// answer (at once when offline) and UPDATE_INSTALL_MS for the download.
async function takeOver() {
  const tabs = await self.clients.matchAll({ type: "window" });
  if (tabs.length > 1) {
    // Another tab runs this build: keep it whole, and let the new build
    // install meanwhile, to take over once that tab is closed.
    self.registration.update().catch(() => {});
    return false;
  }
  const registration = self.registration;
  if (!registration.waiting) {
    try {
      await within(UPDATE_CHECK_MS, registration.update());
    } catch (e) {
      return false; // offline, or the server is slow: start this build
    }
    const next = registration.installing;
    if (!next || !await within(UPDATE_INSTALL_MS, installed(next)).catch(() => false)) return false;
  }
  const next = registration.waiting;
  if (!next) return false;
  const channel = new MessageChannel();
  const answered = new Promise((resolve) => { channel.port1.onmessage = () => resolve(true); });
  next.postMessage("take over", [channel.port2]);
  return within(UPDATE_CHECK_MS, answered).catch(() => false);
}

// installed resolves true once worker is installed, false if it failed.
function installed(worker) {
  return new Promise((resolve) => {
    const check = () => {
      if (worker.state === "installed" || worker.state === "activating" || worker.state === "activated") resolve(true);
      if (worker.state === "redundant") resolve(false);
    };
    worker.addEventListener("statechange", check);
    check();
  });
}

// within resolves as promise does, or rejects after ms milliseconds.
function within(ms, promise) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("timed out")), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// buildFile answers with the build's file name from the cache when it is
// there and intact, otherwise from the network, caching it. event is the
// fetch event it answers, which keeps the worker alive while it caches.
async function buildFile(name, event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(urlOf(name));
  if (cached) {
    const body = await cached.arrayBuffer();
    if (await sha256(body) === FILES[name].sha256) return rebuilt(cached, body);
    await cache.delete(urlOf(name)); // damaged where it is stored: fetch it again
  }
  if (name.startsWith("data/")) return streamed(cache, name, event);
  let response;
  try {
    response = await fetchChecked(name, "default");
  } catch (e) {
    if (e instanceof OtherBuild) {
      return new Response(null, { status: 409, statusText: "ConvLab was updated on the server: reload the page" });
    }
    if (e instanceof BadAnswer) return e.response;
    return Response.error(); // offline: as if there were no service worker
  }
  await cache.put(urlOf(name), response.clone());
  return response;
}

// streamed answers with the data file name as the network gives it, so
// that the page sees its download progress, and caches a copy once the
// whole file has arrived, if it is the build's. The page checks data files
// itself (size and CRC-32) and says what is wrong with a damaged one.
async function streamed(cache, name, event) {
  let response;
  try {
    response = await fetch(urlOf(name));
  } catch (e) {
    return Response.error();
  }
  if (response.ok) {
    const copy = response.clone();
    event.waitUntil((async () => {
      const body = await copy.arrayBuffer();
      if (await sha256(body) === FILES[name].sha256) await cache.put(urlOf(name), rebuilt(copy, body));
    })().catch(() => {})); // not cached; fetched again next time
  }
  return response;
}

// dataFile answers for a data file that this build does not list (one
// added after it was stamped): from the network, caching what it gets,
// or from the cache when the network fails. The page checks data files
// itself (size and CRC-32), so an unlisted one is not checked here.
async function dataFile(request, name) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(urlOf(name), response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(urlOf(name));
    if (cached) return cached;
    throw e;
  }
}

// cachedIntact reports whether cache holds name with the build's SHA-256.
async function cachedIntact(cache, name) {
  const cached = await cache.match(urlOf(name));
  return !!cached && await sha256(await cached.arrayBuffer()) === FILES[name].sha256;
}

// OtherBuild is the error of a file whose bytes are not this build's: the
// server has a newer build, or the download was damaged.
class OtherBuild extends Error {}

// BadAnswer is the error of a server's answer other than 200 OK.
class BadAnswer extends Error {
  constructor(name, response) {
    super("the server answered " + response.status + " " + response.statusText + " for " + name);
    this.response = response;
  }
}

// fetchChecked fetches the build's file name (mode is the request's cache
// mode) and returns it, with the server's headers, only if its SHA-256 is
// the build's.
async function fetchChecked(name, mode) {
  const response = await fetch(urlOf(name), { cache: mode });
  if (!response.ok) throw new BadAnswer(name, response);
  const body = await response.arrayBuffer();
  if (await sha256(body) !== FILES[name].sha256) {
    throw new OtherBuild(name + " is not this build's (" + BUILD + "): a newer build on the server, or a damaged download");
  }
  return rebuilt(response, body);
}

// rebuilt is a response with body and the headers of response (its
// Content-Security-Policy and ETag included), but none about the transfer,
// which no longer applies to the body as stored.
function rebuilt(response, body) {
  const headers = new Headers(response.headers);
  for (const h of ["Content-Encoding", "Content-Length", "Vary"]) headers.delete(h);
  return new Response(body, { status: 200, statusText: "OK", headers });
}

// sha256 is the SHA-256 of bytes in hex.
async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
