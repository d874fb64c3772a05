import { createUser } from '@nats-io/nkeys';
import { Agent, unenrolledExitCode } from './agent';
import { enrol } from '@taskinbox/device-protocol';
import { AgentConfigError, checkServerUrl, loadAgentConfig } from './agent.config';
import { agentVersion, deviceFacts } from './agent.facts';
import { createAgentLogger } from './agent.logger';
import { AgentState } from './agent.state';

const usage = `taskinbox-agent ${agentVersion}
  taskinbox-agent enrol --server https://taskinbox.example.com --token tie_… [--name web-1]
      makes this device's nkey (its only secret, kept in the state directory) and enrols with a
      single-use token an admin created (Devices → Enrol a device)
  taskinbox-agent run
      the daemon (systemd: taskinbox-agent.service)
  taskinbox-agent version

Settings (environment; the systemd unit reads /etc/taskinbox-agent/agent.env):
  TASKINBOX_AGENT_STATE_DIR      default /var/lib/taskinbox-agent
  TASKINBOX_AGENT_RUN_AS         user jobs run as by default (root: taskinbox-run; else the agent's user)
  TASKINBOX_AGENT_ALLOWED_USERS  users a job may name in runAs, comma-separated (default: TASKINBOX_AGENT_RUN_AS)
  TASKINBOX_AGENT_LABELS         key=value,… reported to the server
  TASKINBOX_AGENT_KILL_GRACE_MS  SIGTERM → SIGKILL grace for timed-out actions, default 5000
  TASKINBOX_AGENT_ALLOW_HTTP=1   allow plain http:// to a server on another machine`;

function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new AgentConfigError(`unexpected argument '${args[i]}'`);
    out[match[1]] = match[2] ?? args[++i] ?? '';
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadAgentConfig();
  const state = new AgentState(config.stateDir);
  const logger = createAgentLogger();
  switch (command) {
    case 'enrol': {
      const options = flags(rest);
      if (!options.server || !options.token) throw new AgentConfigError('enrol needs --server and --token');
      const server = checkServerUrl(options.server, config.allowHttp);
      state.init();
      const existing = state.identity();
      if (existing && !existing.unenrolled)
        throw new AgentConfigError(`already enrolled as device ${existing.deviceId}; remove ${config.stateDir}/identity.json to enrol again`);
      const seed = new TextDecoder().decode(createUser().getSeed());
      const enrolled = await enrol(server, seed, {
        token: options.token,
        name: options.name,
        facts: deviceFacts(),
        labels: config.labels,
      });
      state.saveIdentity({ server, deviceId: enrolled.deviceId, orgId: enrolled.orgId, name: enrolled.name, seed });
      console.log(JSON.stringify({ enrolled: true, deviceId: enrolled.deviceId, name: enrolled.name }));
      return 0;
    }
    case 'run': {
      state.init();
      const identity = state.identity();
      if (!identity) throw new AgentConfigError(`not enrolled: run 'taskinbox-agent enrol' first (state: ${config.stateDir})`);
      if (identity.unenrolled) {
        logger.error({ deviceId: identity.deviceId }, 'this device was unenrolled; enrol it again to use it');
        return unenrolledExitCode;
      }
      checkServerUrl(identity.server, config.allowHttp);
      const agent = new Agent(config, state, identity, logger);
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void agent.stop());
      agent.start();
      return agent.exited;
    }
    case 'version':
      console.log(agentVersion);
      return 0;
    default:
      console.error(usage);
      return command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`taskinbox-agent: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof AgentConfigError ? 2 : 1);
  },
);
