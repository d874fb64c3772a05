export * from './transparency.module';
export { EtaService, etaFeatures, type EtaSubject } from './eta/eta.service';
export { createEtaService } from './eta/eta-service.provider';
export { TransparencySettingsService } from './settings/transparency-settings.service';
export { pastDeadline } from './pure/eta';
