/**
 * Makes, without a Docker engine, the file system that the Dockerfile gives its last (runtime)
 * stage, and reads how that image starts: ENV, USER, WORKDIR, VOLUME, EXPOSE, HEALTHCHECK, CMD.
 *
 * A stage the runtime copies from must build like this checkout: `npm install` and `npm run build`
 * after `COPY . .` of the context (the checkout filtered by .dockerignore). CI has already run those
 * two commands here, so the stage starts as a copy of the context plus their output; its later RUN
 * steps then run for real on that copy. The runtime stage's instructions are applied under a
 * temporary folder that stands for the image's `/`.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { dockerignoreMatcher, parseDockerfile, type Instruction, type Stage } from "./dockerfile";

/** What `npm install` and `npm run build` add to the context. */
const BUILD_OUTPUTS = ["node_modules", ".next"];
/** The steps CI has already taken in this checkout, in this order. */
const CHECKOUT_STEPS = [/^npm install(\s|$)/, /^npm run build$/];

export type StagedImage = {
  /** The folder that stands for the image's `/`. */
  root: string;
  /** WORKDIR, as a folder on this machine. */
  workdir: string;
  /** ENV, with absolute paths moved under `root`. */
  env: Record<string, string>;
  user: string;
  /** VOLUME paths, as folders on this machine. */
  volumes: string[];
  expose: string[];
  healthcheck: { options: Record<string, string>; command: string[] };
  cmd: string[];
  /** How long each part of staging took, in ms. */
  timings: Record<string, number>;
  remove(): void;
};

/** Stages the Dockerfile in `checkout`; files that the Dockerfile chowns go to `owner`. */
export function stageImage(checkout: string, owner: { uid: number; gid: number }): StagedImage {
  const stages = parseDockerfile(readFileSync(path.join(checkout, "Dockerfile"), "utf8"));
  const ignored = dockerignoreMatcher(readFileSync(path.join(checkout, ".dockerignore"), "utf8"));
  const scratch = mkdtempSync(path.join(os.tmpdir(), "cairn-image-"));
  // The image's user must reach the staged root inside it, as in an image.
  chmodSync(scratch, 0o755);
  const timings: Record<string, number> = {};
  try {
    const runtime = stages.at(-1)!;
    const built = new Map<string, BuiltStage>();
    for (const name of new Set(copiedStages(runtime))) {
      const stage = stages.find((s) => s.name === name);
      if (!stage || stage === runtime) throw new Error(`COPY --from=${name}: no earlier stage of that name`);
      built.set(name, buildStage(stage, checkout, ignored, path.join(scratch, name), timings));
    }
    const started = Date.now();
    const image = applyRuntimeStage(runtime, path.join(scratch, "root"), built, owner);
    timings.runtime = Date.now() - started;
    for (const name of built.keys()) rmSync(path.join(scratch, name), { recursive: true, force: true });
    return { ...image, timings, remove: () => rmSync(scratch, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

type BuiltStage = { dir: string; workdir: string };

function copiedStages(stage: Stage): string[] {
  return stage.instructions.flatMap((i) => (i.kind === "COPY" && i.from ? [i.from] : []));
}

function refuse(stage: Stage, instruction: Instruction, why: string): never {
  throw new Error(`Dockerfile line ${instruction.line} (stage ${stage.name}): ${why}`);
}

function checkBaseImage(stage: Stage, from: Instruction) {
  const hostMajor = process.versions.node.split(".")[0];
  if (/^node:(\d+)[-.]/.exec(stage.image)?.[1] !== hostMajor) {
    refuse(
      stage,
      from,
      `the tier runs the image's files with this machine's Node ${process.version}, so the base must be node:${hostMajor}-…, not ${stage.image}`,
    );
  }
}

function buildStage(stage: Stage, checkout: string, ignored: (p: string) => boolean, dir: string, timings: Record<string, number>): BuiltStage {
  for (const output of BUILD_OUTPUTS) {
    if (!existsSync(path.join(checkout, output))) throw new Error(`${output} is missing: run npm install and npm run build first`);
  }
  let started = Date.now();
  const inContext = (src: string) => {
    const relative = path.relative(checkout, src).split(path.sep).join("/");
    return relative === "" || (!ignored(relative) && !BUILD_OUTPUTS.includes(relative));
  };
  cpSync(checkout, dir, { recursive: true, verbatimSymlinks: true, filter: inContext });
  // Hard links: the stage's RUN steps only delete here, and the image's user cannot write root's files.
  for (const output of BUILD_OUTPUTS) sh(["cp", "-al", path.join(checkout, output), path.join(dir, output)], checkout);
  // The one file npm rewrites in place (its record of what is installed) gets a copy of its own.
  const installed = path.join(dir, "node_modules", ".package-lock.json");
  if (existsSync(installed)) {
    rmSync(installed);
    copyFileSync(path.join(checkout, "node_modules", ".package-lock.json"), installed);
  }
  timings[`${stage.name}: copy of the built checkout`] = Date.now() - started;

  let workdir = "/";
  let env: Record<string, string> = {};
  let copiedContext = false;
  let step = 0;
  for (const instruction of stage.instructions) {
    const checkoutDone = step === CHECKOUT_STEPS.length;
    switch (instruction.kind) {
      case "FROM":
        checkBaseImage(stage, instruction);
        break;
      case "ENV":
        env = { ...env, ...instruction.values };
        break;
      case "WORKDIR":
        if (checkoutDone) refuse(stage, instruction, "WORKDIR after the build is not supported");
        workdir = instruction.path;
        break;
      case "COPY":
        if (instruction.from || checkoutDone) refuse(stage, instruction, "a build stage may only COPY from the context, before it builds");
        if (instruction.sources.length === 1 && instruction.sources[0] === "." && [".", "./"].includes(instruction.dest)) copiedContext = true;
        break;
      case "RUN":
        if (!checkoutDone) {
          if (!CHECKOUT_STEPS[step]!.test(instruction.command)) refuse(stage, instruction, `expected ${CHECKOUT_STEPS[step]} here, as CI runs it`);
          if (++step === CHECKOUT_STEPS.length && !copiedContext) refuse(stage, instruction, "the build must follow `COPY . .`");
          break;
        }
        started = Date.now();
        sh(["sh", "-c", instruction.command], dir, { ...process.env, ...env });
        timings[`${stage.name}: RUN ${instruction.command}`] = Date.now() - started;
        break;
      default:
        refuse(stage, instruction, `${instruction.kind} is not supported in a build stage`);
    }
  }
  if (step < CHECKOUT_STEPS.length) throw new Error(`stage ${stage.name} does not run npm install and npm run build`);
  return { dir, workdir };
}

function applyRuntimeStage(stage: Stage, root: string, built: Map<string, BuiltStage>, owner: { uid: number; gid: number }) {
  mkdirSync(root);
  const onHost = (imagePath: string) => path.join(root, imagePath);
  let workdir = "/";
  let user = "root";
  const env: Record<string, string> = {};
  const volumes: string[] = [];
  const expose: string[] = [];
  const chownedTo = new Set<string>();
  let healthcheck: StagedImage["healthcheck"] | undefined;
  let cmd: string[] | undefined;

  for (const instruction of stage.instructions) {
    switch (instruction.kind) {
      case "FROM":
        checkBaseImage(stage, instruction);
        break;
      case "ENV":
        Object.assign(env, instruction.values);
        break;
      case "WORKDIR":
        workdir = instruction.path;
        mkdirSync(onHost(workdir), { recursive: true });
        break;
      case "COPY": {
        const from = instruction.from ? built.get(instruction.from) : undefined;
        if (!from) refuse(stage, instruction, "the runtime stage may only COPY --from an earlier stage");
        const dest = path.posix.resolve(workdir, instruction.dest);
        const intoFolder = instruction.dest.endsWith("/") || instruction.sources.length > 1;
        for (const source of instruction.sources) {
          const relative = path.posix.relative(from.workdir, source);
          if (!path.posix.isAbsolute(source) || relative.startsWith(".."))
            refuse(stage, instruction, `${source} is not under stage ${instruction.from}'s WORKDIR ${from.workdir}`);
          const src = path.join(from.dir, relative);
          if (!existsSync(src)) refuse(stage, instruction, `${source} does not exist in stage ${instruction.from}`);
          const target = statSync(src).isFile() && intoFolder ? path.join(onHost(dest), path.basename(src)) : onHost(dest);
          moveInto(src, target);
        }
        break;
      }
      case "RUN":
        for (const part of instruction.command.split("&&").map((p) => p.trim().split(/\s+/))) {
          const [program, ...args] = part;
          if (program === "mkdir" && args[0] === "-p" && args.length > 1) {
            for (const p of args.slice(1)) mkdirSync(onHost(p), { recursive: true, mode: 0o755 });
          } else if (program === "chown" && args.length > 1 && !args[0]!.startsWith("-")) {
            chownedTo.add(args[0]!.split(":")[0]!);
            for (const p of args.slice(1)) chownSync(onHost(p), owner.uid, owner.gid);
          } else {
            refuse(stage, instruction, `RUN ${part.join(" ")}: the runtime stage may only run mkdir -p and chown (non-recursive)`);
          }
        }
        break;
      case "USER":
        user = instruction.user;
        break;
      case "VOLUME":
        for (const p of instruction.paths) {
          mkdirSync(onHost(p), { recursive: true });
          volumes.push(onHost(p));
        }
        break;
      case "EXPOSE":
        expose.push(...instruction.ports);
        break;
      case "HEALTHCHECK":
        healthcheck = { options: instruction.options, command: instruction.command };
        break;
      case "CMD":
        cmd = instruction.command;
        break;
    }
  }
  if (["root", "0"].includes(user.split(":")[0]!)) throw new Error("the runtime stage must end with USER <a user other than root>");
  for (const name of chownedTo) {
    if (name !== user.split(":")[0]) throw new Error(`the runtime stage chowns to ${name} but runs as ${user}`);
  }
  if (!healthcheck || !cmd) throw new Error("the runtime stage needs a HEALTHCHECK and a CMD");
  // ENV paths (CAIRN_DATA_DIR=/data) point into the staged root.
  const mapped = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.startsWith("/") ? onHost(v) : v]));
  return { root, workdir: onHost(workdir), env: mapped, user, volumes, expose, healthcheck, cmd };
}

/**
 * COPY's result, by moving (the stage's copy is thrown away after): a folder's contents go into
 * `target`, merged with what is there; a file becomes `target`.
 */
function moveInto(src: string, target: string) {
  if (!existsSync(target)) {
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(src, target);
    return;
  }
  if (!statSync(src).isDirectory() || !statSync(target).isDirectory()) {
    rmSync(target, { recursive: true, force: true });
    renameSync(src, target);
    return;
  }
  for (const child of readdirSync(src)) moveInto(path.join(src, child), path.join(target, child));
}

function sh(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`${argv.join(" ")} failed (${result.status ?? result.signal}):\n${(result.stderr || result.stdout || String(result.error)).slice(-3000)}`);
}
