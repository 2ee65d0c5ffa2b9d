import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LetterDispatch, type DispatchedLetter, type LetterDispatchPort } from '../cases/letter-dispatch';
import { LettersRepository } from './letters.repository';

/** The letters module's side of the case module's letter-dispatch port (the day a letter went out). */
@Injectable()
export class LetterDispatchAdapter implements LetterDispatchPort, OnModuleInit {
  constructor(
    private readonly slot: LetterDispatch,
    private readonly letters: LettersRepository,
  ) {}

  onModuleInit(): void {
    this.slot.provide(this);
  }

  issuedLetter(m: EntityManager, caseId: string, letterId: string): Promise<DispatchedLetter | null> {
    return this.letters.issuedLetter(m, caseId, letterId);
  }

  firstSentOn(m: EntityManager, caseId: string, code: string): Promise<string | null> {
    return this.letters.firstSentOn(m, caseId, code);
  }
}
