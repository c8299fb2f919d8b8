import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentMerchant, Roles } from '@recourse/platform';
import { ResolutionRulesDto } from './dto/resolution-rules.dto';
import { ResolutionRulesView } from './dto/resolution-rules.view';
import { ResolutionRulesRepository } from './resolution-rules.repository';

/** CONTRACT §10 prevention: the merchant's own rules for disputes it refunds at once, at its cost. */
@ApiTags('merchants')
@ApiBearerAuth()
@Roles('merchant')
@Controller('v1/merchant/resolution-rules')
export class ResolutionRulesController {
  constructor(private readonly rules: ResolutionRulesRepository) {}

  @Get()
  @ApiOkResponse({ type: ResolutionRulesView, description: 'the rules; an empty list before the first PUT' })
  async get(@CurrentMerchant() merchantId: string): Promise<ResolutionRulesView> {
    const stored = await this.rules.find(merchantId);
    return stored ? { rules: stored.rules, updatedAt: stored.updatedAt.toISOString() } : { rules: [] };
  }

  @Put()
  @HttpCode(200)
  @ApiOkResponse({ type: ResolutionRulesView, description: 'the rules as stored, replacing the previous list' })
  async put(@CurrentMerchant() merchantId: string, @Body() body: ResolutionRulesDto): Promise<ResolutionRulesView> {
    const rules = body.rules.map(({ reasons, maxAmount, currency }) => ({ reasons, maxAmount, currency }));
    const stored = await this.rules.replace(merchantId, rules);
    return { rules: stored.rules, updatedAt: stored.updatedAt.toISOString() };
  }
}
