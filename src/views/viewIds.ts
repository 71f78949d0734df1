export const VIEW_ID = 'cleanRooms.memberships';
