/* Tests for the compare page (vergelijk): each chosen school against "jouw school", in the
 * visitor's browser. A port of jobmonitor/compute/pairs.py with two_sample.py and the marker
 * rules of significance.py; tests/test_pairs.py holds it to the Python verdicts. No
 * dependencies, no eval: it runs under CSP script-src 'self' and in node.
 *
 * JobCompareStats.comparePair(ownRows, otherRows, thresholds): rows are objects keyed by item
 * id, each {measure, direction, estimate, n_eff, sd, skew, kurt} (null = missing); thresholds
 * are the config's {alpha, min_difference_pct, min_effect_size_mean, multiple_testing}. Returns,
 * per item both published, {difference, effectSize, p, pAdjusted, marker, verdict}, with
 * difference = other − own and verdicts from the other school's point of view. */
(function (root) {
  "use strict";

  var FISHER_RELATIVE_TIE = 1e-7; // two_sample.FISHER_RELATIVE_TIE
  var EXACT_MIN_EXPECTED = 10; // two_sample.EXACT_MIN_EXPECTED
  var RELEVANCE_SLACK = 1e-9; // significance.RELEVANCE_SLACK
  var TREND_SUFFIX = "__trend"; // codebook.TREND_SUFFIX: never tested
  var PCT_MEASURES = { pct_positive: true, pct_yes: true };
  var VERDICTS = {
    higher_better: { "+": "favourable", "-": "unfavourable" },
    lower_better: { "+": "unfavourable", "-": "favourable" },
    neutral: { "+": "higher", "-": "lower" }
  };
  var SQRT_2PI = Math.sqrt(2 * Math.PI);
  var LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7];
  var TINY = 1e-300;

  function num(v) { return v === null || v === undefined || v === "" ? NaN : +v; }

  // numpy's nan_to_num: NaN → 0, ±inf → ±largest double.
  function nanToNum(v) { return v !== v ? 0 : Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, v)); }

  // numpy's rint and Python's round: ties to even.
  function roundHalfEven(x) {
    var r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  function normPdf(z) { return Math.exp(-z * z / 2) / SQRT_2PI; }

  // Upper tail of N(0, 1): the series Φ(z) − ½ = φ(z)·(z + z³/3 + z⁵/15 + …) below 3 (positive
  // terms, no cancellation), Laplace's continued fraction φ(z)/(z + 1/(z + 2/(z + …))) above,
  // by modified Lentz. Relative error < 1e-12 for z < 10.
  function normSf(z) {
    var k, term, sum, f, c, d, delta;
    if (z !== z) return NaN;
    if (z < 0) return 1 - normSf(-z);
    if (z < 3) {
      term = sum = z;
      for (k = 3; term > 1e-17 * sum; k += 2) { term *= z * z / k; sum += term; }
      return 0.5 - normPdf(z) * sum;
    }
    f = c = z; d = 0;
    for (k = 1; k < 500; k++) {
      d = 1 / (z + k * d);
      c = z + k / c;
      delta = c * d; f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    return normPdf(z) / f;
  }

  function normCdf(z) { return normSf(-z); }

  // log Γ(x), x > 0 (Lanczos, g = 7).
  function lgamma(x) {
    var s = LANCZOS[0], t = x + 6.5, k;
    for (k = 1; k < 9; k++) s += LANCZOS[k] / (x + k - 1);
    return Math.log(SQRT_2PI) + (x - 0.5) * Math.log(t) - t + Math.log(s);
  }

  // Stirling's remainder log Γ(x) − [(x − ½)·ln x − x + ln √(2π)], for x ≥ 15.
  function stirlerr(x) {
    var r = 1 / (x * x);
    return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
  }

  // log B(a, b). For a large a, lgamma(a) − lgamma(a + b) by Stirling, so the big terms cancel
  // analytically (else ~1e-11 lost at Welch's df of a few thousand).
  function lbeta(a, b) {
    var s;
    if (a < b) { s = a; a = b; b = s; }
    if (a < 15) return lgamma(a) + lgamma(b) - lgamma(a + b);
    return lgamma(b) - (a - 0.5) * Math.log1p(b / a) - b * Math.log(a + b) + b + stirlerr(a) - stirlerr(a + b);
  }

  function lentzStep(v) { return Math.abs(v) < TINY ? TINY : v; }

  // Continued fraction of the incomplete beta (Numerical Recipes' betacf, modified Lentz).
  function betacf(a, b, x) {
    var qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 / lentzStep(1 - qab * x / qap), h = d, m, m2, aa, del;
    for (m = 1; m < 10000; m++) {
      m2 = 2 * m;
      aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 / lentzStep(1 + aa * d); c = lentzStep(1 + aa / c); h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 / lentzStep(1 + aa * d); c = lentzStep(1 + aa / c); del = d * c; h *= del;
      if (Math.abs(del - 1) < 1e-16) break;
    }
    return h;
  }

  // Regularized incomplete beta I_x(a, b), given y = 1 − x computed without cancellation.
  function ibeta(a, b, x, y) {
    if (x <= 0) return 0;
    if (y <= 0) return 1;
    var front = Math.exp(a * Math.log(x) + b * Math.log(y) - lbeta(a, b));
    return x < (a + 1) / (a + b + 2) ? front * betacf(a, b, x) / a : 1 - front * betacf(b, a, y) / b;
  }

  // Student t upper tail for any df > 0: ½·I_{df/(df+t²)}(df/2, ½) for t > 0.
  function tSf(t, df) {
    var tt, half;
    if (t !== t || !(df > 0)) return NaN;
    if (!isFinite(t)) return t > 0 ? 0 : 1;
    if (df === Infinity) return normSf(t);
    tt = t * t;
    half = 0.5 * ibeta(0.5 * df, 0.5, df / (df + tt), tt / (df + tt));
    return t > 0 ? half : 1 - half;
  }

  function tCdf(t, df) { return tSf(-t, df); }

  // two_sample.rounded_counts: [x, n] with n = max(rint(n_eff), 1), x = clip(rint(n·p), 0, n).
  function roundedCounts(p, n) {
    var whole = Math.max(roundHalfEven(n), 1);
    return [Math.min(Math.max(roundHalfEven(whole * p), 0), whole), whole];
  }

  // two_sample.fisher_two_sided: the hypergeometric pmf over the support from the ratio of
  // neighbours, summed over the tables no more likely than the observed one (relative tie 1e-7).
  function fisherTwoSided(x1, n1, x2, n2) {
    var yes = x1 + x2, total = n1 + n2, low = Math.max(0, n1 + yes - total),
      width = Math.min(n1, yes) - low + 1, logpmf = [0], acc = 0, top = 0, k, x, limit, all = 0, extreme = 0, pmf;
    for (k = 0; k < width - 1; k++) {
      x = low + k;
      acc += Math.log((yes - x) * (n1 - x) / ((x + 1) * (total - yes - n1 + x + 1)));
      logpmf.push(acc);
      top = Math.max(top, acc);
    }
    for (k = 0; k < width; k++) logpmf[k] -= top;
    limit = logpmf[x1 - low] + Math.log1p(FISHER_RELATIVE_TIE);
    for (k = 0; k < width; k++) {
      pmf = Math.exp(logpmf[k]);
      all += pmf;
      if (logpmf[k] <= limit) extreme += pmf;
    }
    return Math.min(extreme / all, 1);
  }

  // two_sample.pooled_z_p: score test, the variance from the pooled share.
  function pooledZP(p1, n1, p2, n2) {
    var pooled = (n1 * p1 + n2 * p2) / (n1 + n2),
      se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    return 2 * normSf(Math.abs(p1 - p2) / se);
  }

  // two_sample.proportion_p: shares 0–1, n the effective n; exact test for small expected cells.
  function proportionP(p1, n1, p2, n2) {
    var a, b, pooled;
    if (!(n1 > 0 && n2 > 0 && p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1)) return NaN;
    a = roundedCounts(p1, n1); b = roundedCounts(p2, n2);
    pooled = (a[0] + b[0]) / (a[1] + b[1]);
    if (Math.min(a[1], b[1]) * Math.min(pooled, 1 - pooled) < EXACT_MIN_EXPECTED) {
      return fisherTwoSided(a[0], a[1], b[0], b[1]);
    }
    return pooledZP(p1, n1, p2, n2);
  }

  // two_sample.skewness_correction: second-order Edgeworth term of group 1.
  function skewnessCorrection(t, share1, n1, skew1, kurt1) {
    var g = nanToNum(skew1), gamma2 = g * g * Math.pow(share1, 3), kappa = nanToNum(kurt1) * (share1 * share1),
      term = gamma2 * (Math.pow(t, 4) + 2 * (t * t) - 3) / 18 - kappa * (t * t - 3) / 12,
      correction = (2 / n1) * normPdf(t) * t * term;
    return isFinite(correction) && n1 > 3 ? correction : 0;
  }

  // two_sample.mean_p: Welch t, v the per-observation variance, plus group 1's skewness term.
  function meanP(m1, v1, n1, m2, v2, n2, skew1, kurt1) {
    var a, b, se, df, t;
    if (!(n1 > 1 && n2 > 1 && v1 >= 0 && v2 >= 0 && isFinite(m1 + m2 + v1 + v2 + n1 + n2))) return NaN;
    a = v1 / n1; b = v2 / n2; se = Math.sqrt(a + b);
    if (se === 0) return m1 === m2 ? 1 : 0;
    df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    t = Math.abs(m1 - m2) / se;
    return Math.min(Math.max(2 * tSf(t, df) + skewnessCorrection(t, a / (a + b), n1, skew1, kurt1), 0), 1);
  }

  function cohensH(p1, p2) { return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2)); }

  function cohensD(m1, v1, n1, m2, v2, n2) {
    if (!(n1 >= 1 && n2 >= 1 && n1 + n2 > 2)) return NaN;
    return (m1 - m2) / Math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2));
  }

  // significance.adjust_pvalues over one family: "bh" (step-up, running minimum from the
  // largest p down), "holm" or "none"; NaN is not a test; capped at 1.
  function adjustPvalues(ps, method) {
    var out = ps.slice(), order = [], m, i, run, v;
    if (method === "none") return out;
    if (method !== "bh" && method !== "holm") throw new Error("unknown multiple-testing method " + method);
    for (i = 0; i < ps.length; i++) if (ps[i] === ps[i]) order.push(i);
    order.sort(function (x, y) { return ps[x] - ps[y] || x - y; });
    m = order.length;
    if (method === "bh") {
      for (i = m - 1, run = Infinity; i >= 0; i--) {
        v = ps[order[i]] * m / (i + 1);
        run = Math.min(run, v); out[order[i]] = Math.min(run, 1);
      }
    } else {
      for (i = 0, run = -Infinity; i < m; i++) {
        v = ps[order[i]] * (m - i);
        run = Math.max(run, v); out[order[i]] = Math.min(run, 1);
      }
    }
    return out;
  }

  // significance.relevant with one difference (tested = shown).
  function relevant(difference, effect, isPct, thresholds) {
    var slack = 1 - RELEVANCE_SLACK;
    return isPct ? Math.abs(difference) >= thresholds.min_difference_pct * slack
      : Math.abs(effect) >= thresholds.min_effect_size_mean * slack;
  }

  // One pair's test of one item: other (group 1, the school judged) against own.
  function testItem(own, other, isPct) {
    var scale = isPct ? 100 : 1, m1 = num(other.estimate) / scale, m2 = num(own.estimate) / scale,
      n1 = num(other.n_eff), n2 = num(own.n_eff), s1 = num(other.sd), s2 = num(own.sd), v1 = s1 * s1, v2 = s2 * s2;
    if (isPct) {
      return [proportionP(m1, n1, m2, n2), cohensH(Math.min(Math.max(m1, 0), 1), Math.min(Math.max(m2, 0), 1))];
    }
    return [meanP(m1, v1, n1, m2, v2, n2, num(other.skew), num(other.kurt)), cohensD(m1, v1, n1, m2, v2, n2)];
  }

  // significance.verdicts: the marker after the item's direction; "" when nothing was tested.
  function verdict(marker, direction, tested) {
    if (!tested) return "";
    return (marker && Object.prototype.hasOwnProperty.call(VERDICTS, direction) && VERDICTS[direction][marker])
      || "no_difference";
  }

  // pairs.compare_pair: one family per pair, so a pair's verdicts ignore the other choices.
  function comparePair(ownRows, otherRows, thresholds) {
    var has = Object.prototype.hasOwnProperty, ids = [], rows = [], out = {}, adjusted, i, id, own, other, isPct, r, q,
      marker;
    for (id in ownRows) if (has.call(ownRows, id) && has.call(otherRows, id)) ids.push(id);
    for (i = 0; i < ids.length; i++) {
      own = ownRows[ids[i]]; other = otherRows[ids[i]];
      isPct = has.call(PCT_MEASURES, own.measure);
      r = ids[i].slice(-TREND_SUFFIX.length) === TREND_SUFFIX ? [NaN, NaN] : testItem(own, other, isPct);
      rows.push({ difference: num(other.estimate) - num(own.estimate), effectSize: r[1], p: r[0], isPct: isPct });
    }
    adjusted = adjustPvalues(rows.map(function (x) { return x.p; }), thresholds.multiple_testing);
    for (i = 0; i < ids.length; i++) {
      r = rows[i]; q = adjusted[i];
      marker = q < thresholds.alpha && relevant(r.difference, r.effectSize, r.isPct, thresholds)
        ? (r.difference > 0 ? "+" : r.difference < 0 ? "-" : "") : "";
      out[ids[i]] = { difference: r.difference, effectSize: r.effectSize, p: r.p, pAdjusted: q, marker: marker,
        verdict: verdict(marker, ownRows[ids[i]].direction, q === q) };
    }
    return out;
  }

  var api = {
    comparePair: comparePair, adjustPvalues: adjustPvalues, relevant: relevant,
    proportionP: proportionP, pooledZP: pooledZP, fisherTwoSided: fisherTwoSided, roundedCounts: roundedCounts,
    meanP: meanP, skewnessCorrection: skewnessCorrection, cohensH: cohensH, cohensD: cohensD,
    normCdf: normCdf, normSf: normSf, normPdf: normPdf, tCdf: tCdf, tSf: tSf, roundHalfEven: roundHalfEven
  };
  root.JobCompareStats = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
