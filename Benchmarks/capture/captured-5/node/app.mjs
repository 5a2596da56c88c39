import fs from 'node:fs';
import OpenAI from './openai.mjs';

const CFG = JSON.parse(fs.readFileSync(process.env.APP_CONFIG, 'utf8'));
const NAME = CFG.logger || 'app';
const ts = () => new Date().toISOString();
const info = (...a) => console.log(`${ts()} INFO  [${NAME}]`, ...a);
const warn = (...a) => console.warn(`${ts()} WARN  [${NAME}]`, ...a);
const error = (...a) => console.error(`${ts()} ERROR [${NAME}]`, ...a);

function makeClient(c) {
  const opts = { apiKey: c.api_key };
  if (c.base_url !== undefined && c.base_url !== null) opts.baseURL = c.base_url;
  if (c.max_retries !== undefined) opts.maxRetries = c.max_retries;
  if (c.timeout !== undefined) opts.timeout = c.timeout;
  if (c.default_headers) opts.defaultHeaders = c.default_headers;
  return new OpenAI(opts);
}

function* expand(steps) {
  for (const st of steps) {
    if (st.op === 'repeat') { for (let i = 0; i < st.n; i++) yield* expand(st.steps); }
    else yield st;
  }
}

let client = makeClient(CFG);
if (CFG.announce !== false) info(`${CFG.app_name || NAME} starting, baseURL=${client.baseURL}`);

for (const step of expand(CFG.steps)) {
  const op = step.op;
  try {
    if (op === 'client') { client = makeClient({ ...CFG, ...step }); info(`switched client, baseURL=${client.baseURL}`); }
    else if (op === 'sleep') { await new Promise(r => setTimeout(r, step.s * 1000)); }
    else if (op === 'list') {
      const ids = [];
      for await (const m of client.models.list()) ids.push(m.id);
      info(`model list refreshed: ${ids.length} models`, ids);
    } else if (op === 'chat') {
      const msgs = [{ role: 'user', content: step.msg || 'hello' }];
      if (step.stream) {
        const stream = await client.chat.completions.create({ model: step.model, messages: msgs, stream: true });
        let text = '';
        for await (const ch of stream) text += ch.choices?.[0]?.delta?.content ?? '';
        info(`chat[${step.model}] stream done, ${text.length} chars`);
      } else {
        const r = await client.chat.completions.create({ model: step.model, messages: msgs });
        if (!step.quiet) info(`chat[${step.model}] ok, finish_reason=${r.choices[0].finish_reason} usage=${r.usage?.total_tokens}`);
      }
    } else if (op === 'embed') {
      const r = await client.embeddings.create({ model: step.model, input: step.input || ['hello world'] });
      info(`embeddings[${step.model}] ok, ${r.data.length} vectors dim=${r.data[0].embedding.length}`);
    } else if (op === 'responses') {
      const r = await client.responses.create({ model: step.model, input: step.msg || 'hello' });
      info(`responses[${step.model}] ok: ${r.output_text.length} chars`);
    }
  } catch (e) {
    if (step.full ?? true) error(`${op} failed:`, e);
    else error(`${op} failed: ${e.name}: ${e.message}`);
  }
}
