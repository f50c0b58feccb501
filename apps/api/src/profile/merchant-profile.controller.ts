import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { MerchantId, Timestamp } from '@lendstream/contracts';
import { readWindows, type RedisProfileStore } from '@lendstream/profile';
import { ApiDocumented, ApiError, RequireRoles, ZodValidationPipe } from '@lendstream/platform';
import { API_PROFILE_STORE } from '../api-tokens';
import { readProfileState } from './profile-store.provider';
import { profileAsOf, ProfileView, profileView, ProfileViewSchema } from './profile-view';

/** `?asOf=2026-11-11T00:00:00Z`: the instant the windows end on (default: now, or the newest event if later). */
export const ProfileQuery = z.strictObject({ asOf: Timestamp.optional() });
export type ProfileQuery = z.output<typeof ProfileQuery>;

/** A merchant's rolling risk profile (role ops:read), read from the profiler's Redis store. */
@Controller('v1/merchants/:merchantId/profile')
export class MerchantProfileController {
  constructor(@Inject(API_PROFILE_STORE) private readonly profiles: RedisProfileStore) {}

  @Get()
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: "A merchant's rolling risk profile",
    description:
      'Every window (1, 7, 30 and 90 event-time days) as the underwriter reads it, as of `asOf` (default: the later of now and the newest event applied), with what the profile covers. Money and sums are strings of digits.',
    tags: ['merchants'],
    params: { merchantId: MerchantId },
    query: ProfileQuery,
    responses: {
      200: { description: 'The profile', schema: ProfileViewSchema },
      404: {
        description: 'No profile: an unknown merchant, or one not yet rebuilt',
        codes: ['PROFILE_NOT_FOUND'],
      },
      503: {
        description: 'The profile store (Redis) cannot be read; retry',
        codes: ['PROFILE_STORE_UNAVAILABLE'],
      },
    },
  })
  async profile(
    @Param('merchantId', new ZodValidationPipe(MerchantId)) merchantId: string,
    @Query(new ZodValidationPipe(ProfileQuery)) query: ProfileQuery,
  ): Promise<ProfileView> {
    const state = await readProfileState(this.profiles, merchantId);
    if (state === null)
      throw new ApiError(
        404,
        'PROFILE_NOT_FOUND',
        `no profile for ${merchantId}: unknown merchant or not yet rebuilt (the profiler builds it from the input topics)`,
      );
    const asOf =
      query.asOf === undefined ? profileAsOf(Date.now(), state.newestEventMs) : new Date(query.asOf);
    return profileView(readWindows(state, asOf, this.profiles.retention));
  }
}
