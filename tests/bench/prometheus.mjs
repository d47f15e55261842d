// A strict reader of the Prometheus text format 0.0.4, as a scraper reads
// marquee-server's GET /metrics (the same rules as tests/support/PrometheusText):
// every line is "# HELP", "# TYPE" or `name{labels} value`; every sample's
// metric has a TYPE before it; each histogram's buckets have rising bounds
// and non-decreasing counts, end in le="+Inf", +Inf equals _count, and
// _sum is there. Throws an Error naming the first problem.

const SampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/;
const TypeLine = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;
const HelpLine = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$/;
const Label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(?:,|$)/;

function number(text) {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number: ${text}`);
  return Number(text);
}

function labels(text) {
  const out = {};
  let rest = text ?? '';
  while (rest.length > 0) {
    const match = Label.exec(rest);
    if (!match) throw new Error(`labels that do not parse: {${text}}`);
    if (match[1] in out) throw new Error(`label ${match[1]} twice`);
    out[match[1]] = match[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    rest = rest.slice(match[0].length);
  }
  return out;
}

/** A histogram's _bucket, _sum and _count belong to the histogram. */
function family(name, types) {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix) && types.get(name.slice(0, -suffix.length)) === 'histogram') {
      return name.slice(0, -suffix.length);
    }
  }
  return name;
}

const seriesKey = (l) => JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));

function checkHistograms(types, samples) {
  for (const [name, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map();
    for (const sample of samples.filter((s) => s.name === `${name}_bucket`)) {
      const { le, ...rest } = sample.labels;
      if (le === undefined) throw new Error(`${name}: a bucket without le`);
      const key = seriesKey(rest);
      if (!series.has(key)) series.set(key, { labels: rest, buckets: [] });
      series.get(key).buckets.push([number(le), sample.value]);
    }
    if (series.size === 0) throw new Error(`${name}: no buckets`);
    for (const { labels: l, buckets } of series.values()) {
      for (let i = 1; i < buckets.length; ++i) {
        if (!(buckets[i][0] > buckets[i - 1][0])) throw new Error(`${name}: bucket bounds do not rise`);
        if (buckets[i][1] < buckets[i - 1][1]) throw new Error(`${name}: bucket counts fall`);
      }
      const last = buckets[buckets.length - 1];
      if (last[0] !== Infinity) throw new Error(`${name}: the last bucket is not +Inf`);
      const find = (n) => samples.find((s) => s.name === n && seriesKey(s.labels) === seriesKey(l));
      const count = find(`${name}_count`);
      if (!count || count.value !== last[1]) throw new Error(`${name}: _count is not the +Inf bucket`);
      if (!find(`${name}_sum`)) throw new Error(`${name}: no _sum`);
    }
  }
}

/** {types: Map(name -> type), samples: [{name, labels, value}], value(name, labels)}. */
export function parseMetrics(text) {
  if (!text.endsWith('\n')) throw new Error('the text does not end with a line feed');
  const types = new Map();
  const samples = [];
  text.slice(0, -1).split('\n').forEach((line, index) => {
    try {
      if (line.startsWith('#')) {
        const type = TypeLine.exec(line);
        if (type) {
          if (types.has(type[1])) throw new Error('a second TYPE');
          types.set(type[1], type[2]);
        } else if (!HelpLine.test(line)) {
          throw new Error('a comment that is neither HELP nor TYPE');
        }
        return;
      }
      const match = SampleLine.exec(line);
      if (!match) throw new Error('not name{labels} value');
      const sample = { name: match[1], labels: labels(match[2]), value: number(match[3]) };
      if (!types.has(family(sample.name, types))) throw new Error('a sample without a TYPE before it');
      samples.push(sample);
    } catch (error) {
      throw new Error(`line ${index + 1}: ${error.message}: ${line}`);
    }
  });
  checkHistograms(types, samples);
  const value = (name, l = {}) => samples.find((s) => s.name === name && seriesKey(s.labels) === seriesKey(l))?.value;
  return { types, samples, value };
}
