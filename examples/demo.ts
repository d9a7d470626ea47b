// The main demo (`npm run demo`). Until the face detector lands (issue 7) it runs the basics.
import './basics.ts';
