import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per enrolled (or unenrolled) device (migration 0060). Written by the devices projection only. */
@Entity({ name: 'device_views' })
export class DeviceView {
  @PrimaryColumn('uuid', { name: 'device_id' }) deviceId!: string;
  @Column('uuid', { name: 'org_id' }) orgId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'public_key' }) publicKey!: string;
  @Column('boolean') enrolled!: boolean;
  @Column('jsonb') facts!: Record<string, string>;
  @Column('jsonb') labels!: Record<string, string>;
  @Column('timestamptz', { name: 'enrolled_at' }) enrolledAt!: Date;
  @Column('timestamptz', { name: 'unenrolled_at', nullable: true }) unenrolledAt!: Date | null;
  @Column('integer') version!: number;
}
