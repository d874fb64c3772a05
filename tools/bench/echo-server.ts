import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

// The ceiling for the HTTP benchmark: a bare Nest/Fastify endpoint that echoes its JSON body.
@Controller()
class EchoController {
  @Post('echo')
  @HttpCode(201)
  echo(@Body() body: unknown) {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(EchoModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.HTTP_PORT ?? 3902), '127.0.0.1');
  console.log('echo listening');
}

void main();
