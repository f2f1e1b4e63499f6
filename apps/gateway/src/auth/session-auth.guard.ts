import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

/** A bearer token or, failing that, the `sid` cookie; neither valid → 401 UNAUTHORIZED. */
@Injectable()
export class SessionAuthGuard extends AuthGuard(['bearer', 'sid-cookie']) {}
