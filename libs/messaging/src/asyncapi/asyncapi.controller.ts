import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { PARAM_ARGS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { RpcParamtype } from '@nestjs/microservices/enums/rpc-paramtype.enum';
import { ApiExcludeController } from '@nestjs/swagger';
import path from 'node:path';
import { Public } from '@taskinbox/auth';
import { CONFIG, type Config } from '@taskinbox/config';
import { asyncApiDocument, type CommandChannel } from './asyncapi.document';

type Schemas = Record<string, Record<string, unknown>>;
interface SchemaObjectFactory {
  exploreModelSchema(type: Type<unknown>, schemas: Schemas): string;
}

/**
 * What SwaggerModule runs for `extraModels`, so a command's body has the same schema here as in
 * the OpenAPI document. The package's exports map hides it (and createDocument needs the app,
 * which a controller does not have): loaded from the package's own directory.
 */
function schemaObjectFactory(): SchemaObjectFactory {
  const services = path.join(path.dirname(require.resolve('@nestjs/swagger')), 'services');
  const load = (file: string) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file the exports map hides (above)
    require(path.join(services, file)) as Record<string, new (...args: unknown[]) => unknown>;
  const { SchemaObjectFactory } = load('schema-object-factory.js');
  const { ModelPropertiesAccessor } = load('model-properties-accessor.js');
  const { SwaggerTypesMapper } = load('swagger-types-mapper.js');
  return new SchemaObjectFactory(new ModelPropertiesAccessor(), new SwaggerTypesMapper()) as SchemaObjectFactory;
}

/**
 * The AsyncAPI document beside the OpenAPI one, public like it. Its commands are the message
 * patterns of the controllers this very app has, with their payload DTOs.
 */
@ApiExcludeController()
@Controller('api/docs')
export class AsyncApiController {
  private document?: Record<string, unknown>;

  constructor(
    private readonly modules: ModulesContainer,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Public()
  @Get('asyncapi.json')
  asyncApi(): Record<string, unknown> {
    this.document ??= this.build();
    return this.document;
  }

  private build(): Record<string, unknown> {
    const schemas: Schemas = {};
    const factory = schemaObjectFactory();
    const commands = new Map<string, CommandChannel>();
    for (const module of this.modules.values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as Type<unknown> | null;
        if (!type) continue;
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = (type.prototype as Record<string, unknown>)[name];
          const patterns =
            typeof handler === 'function'
              ? (Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined)
              : undefined;
          if (!patterns) continue;
          const dto = payloadType(type, name);
          const payload = dto
            ? { $ref: `#/components/schemas/${factory.exploreModelSchema(dto, schemas)}` }
            : undefined;
          for (const pattern of patterns) if (typeof pattern === 'string') commands.set(pattern, { pattern, payload });
        }
      }
    }
    return asyncApiDocument(this.config.nats.prefix, [...commands.values()], schemas);
  }
}

/** The class of the handler's `@Payload()` parameter, if it has one. */
function payloadType(type: Type<unknown>, name: string): Type<unknown> | undefined {
  const args = (Reflect.getMetadata(PARAM_ARGS_METADATA, type, name) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', type.prototype as object, name) ?? []) as unknown[];
  const key = Object.keys(args).find((k) => k.split(':')[0] === String(RpcParamtype.PAYLOAD));
  const candidate = key === undefined ? undefined : types[args[key].index];
  return typeof candidate === 'function' && candidate !== Object ? (candidate as Type<unknown>) : undefined;
}
