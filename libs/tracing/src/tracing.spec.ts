import 'reflect-metadata';
import { BaseConfig, loadConfig } from '@app/config';
import { subjectTemplate, tracesWanted } from './tracing';

const wanted = (env: Record<string, string>) => tracesWanted(loadConfig(BaseConfig, env));

describe(tracesWanted.name, () => {
  it('is off by default, and on once an OTLP endpoint or the otlp exporter is named', () => {
    expect(wanted({})).toBe(false);
    expect(wanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(wanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(wanted({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
  });

  it('stays off when the exporter is none or the SDK is disabled', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(wanted({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(wanted({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(wanted({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toBe(true);
  });

  it('takes both OTLP/HTTP encodings', () => {
    for (const protocol of ['http/protobuf', 'http/json']) {
      expect(loadConfig(BaseConfig, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }).OTEL_EXPORTER_OTLP_PROTOCOL).toBe(
        protocol,
      );
    }
  });

  it('refuses what it would otherwise ignore, naming the variable', () => {
    for (const [name, value] of [
      ['OTEL_TRACES_EXPORTER', 'jaeger'],
      ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
      ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'http/xml'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
      ['OTEL_SDK_DISABLED', 'maybe'],
    ]) {
      expect(() => loadConfig(BaseConfig, { [name]: value })).toThrow(name);
    }
  });
});

describe(subjectTemplate.name, () => {
  it('keeps subjects of fixed names and hides ids', () => {
    expect(subjectTemplate('chat.message.send.v1')).toBe('chat.message.send.v1');
    expect(subjectTemplate('chat.room.0b7c6a4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e.events.v1')).toBe('chat.room.*.events.v1');
  });
});
