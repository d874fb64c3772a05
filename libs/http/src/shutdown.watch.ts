import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

const shutdownHooks = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

export interface SlowShutdownHook {
  hook: (typeof shutdownHooks)[number];
  /** The class whose hook it is. */
  of: string;
  seconds: number;
}

/**
 * Reports each shutdown hook still running after `afterMs`, once, naming its class: a close that
 * hangs (an open connection, a loop that missed its stop) then says where it hangs.
 */
export function watchShutdownHooks(
  app: INestApplicationContext,
  report: (slow: SlowShutdownHook) => void,
  afterMs = 10_000,
): void {
  for (const module of app.get(ModulesContainer).values()) {
    const wrappers = [...module.providers.values(), ...module.controllers.values()];
    const instances = [module.instance, ...wrappers.filter((wrapper) => wrapper.isDependencyTreeStatic()).map((wrapper) => wrapper.instance)];
    for (const instance of new Set(instances)) {
      if (!instance || typeof instance !== 'object') continue;
      const target = instance as Record<string, unknown>;
      for (const hook of shutdownHooks) {
        const original = target[hook];
        if (typeof original !== 'function') continue;
        const of = instance.constructor.name;
        target[hook] = async function (this: unknown, ...args: unknown[]) {
          const timer = setTimeout(() => report({ hook, of, seconds: afterMs / 1000 }), afterMs);
          timer.unref();
          try {
            return await original.apply(this, args);
          } finally {
            clearTimeout(timer);
          }
        };
      }
    }
  }
}
