// llama.cpp decode speed on a GGUF, for bench_chat_model.py: prints one JSON line.
// Usage: node reference.mjs MODEL.gguf THREADS MAX_NEW_TOKENS RUNS SYSTEM_PROMPT USER_PROMPT
import {getLlama, LlamaChatSession} from "node-llama-cpp";

const [gguf, threadsArg, maxArg, runsArg, system, user] = process.argv.slice(2);
const [threads, maxTokens, runs] = [Number(threadsArg), Number(maxArg), Number(runsArg)];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const loadStarted = performance.now();
// CPU only, and never build from source: the prebuilt binary is the point (a source build takes ~15 min here).
const llama = await getLlama({gpu: false, build: "never"});
const model = await llama.loadModel({modelPath: gguf});
const loadSeconds = (performance.now() - loadStarted) / 1000;

const firsts = [], rates = [];
let tokens = 0;
for (let run = 0; run <= runs; run++) {  // run 0 is a warm-up, as in the Python backends
  const context = await model.createContext({threads, contextSize: 1024});
  const session = new LlamaChatSession({contextSequence: context.getSequence(), systemPrompt: system});
  const started = performance.now();
  let first = null;
  let count = 0;
  await session.prompt(user, {
    maxTokens: run === 0 ? 4 : maxTokens,
    onToken: (chunk) => { first ??= performance.now(); count += chunk.length; },
  });
  const ended = performance.now();
  if (run > 0 && first !== null && count > 1) {
    firsts.push((first - started) / 1000);
    rates.push((count - 1) / ((ended - first) / 1000));
    tokens = count;
  }
  await context.dispose();
}
console.log(JSON.stringify({load_s: loadSeconds, first_s: median(firsts), tok_s: median(rates), tokens}));
