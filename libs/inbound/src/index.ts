export { InboundModule } from './inbound.module';
export { thirdPartyTag } from './sources/inbound-source.dto';
